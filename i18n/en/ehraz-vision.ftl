# Live camera guidance: one message per guidance code. Short, and saying what to do.

guidance-ready = Great. Hold still…
guidance-too-dark = It is too dark. Move somewhere brighter or turn on a light.
guidance-too-bright = There is too much light. Move out of direct light.
guidance-backlit = The light is behind you. Face the light.
guidance-blurry = The picture is not sharp. Clean the camera and wait a moment for it to focus.
guidance-moving = Hold still and keep the camera steady.
guidance-no-face = No face is seen. Bring your face into the oval.
guidance-many-faces = More than one face is seen. Only you should be in the picture.
guidance-face-off-centre = Move your face to the middle of the oval.
guidance-face-too-small = Come a little closer.
guidance-face-too-large = Move back a little.
guidance-face-turned = Look straight at the camera.
guidance-background-not-white = The wall or background behind you should be plain white.
guidance-no-paper = Hold the white paper so that it fills the frame.
guidance-no-strokes = No signature or writing is seen on the paper.
guidance-strokes-too-small = Bring the camera closer to the paper.
guidance-no-card = Put the card inside the frame so that it fills it.
guidance-glare = There is glare on the card. Tilt it a little or move away from the lamp.
