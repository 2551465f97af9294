# Messages of the Ehraz user interface (ui/). Every id must be in fa/ehraz-app.ftl too, with
# the same arguments. Field labels, step titles and capture rules are in ehraz-core.ftl.

## General

app-name = Ehraz
app-tagline = Identity verification from home, safe and simple
app-version = Version { $version }
app-loading = Getting ready…
app-busy = Please wait a moment…

## Start screen

start-title = Verify your identity without visiting a branch
start-intro = Confirm who you are from here, in a few short steps. Each step says what it needs and why.
start-choose = Which verification are you doing?
start-flow-sejam-title = Sejam verification for a bourse code
start-flow-sejam-body = To get a bourse code and trade on the stock exchange; you need to be registered with Sejam.
start-flow-exchange-title = Crypto exchange verification
start-flow-exchange-body = To buy and sell on a crypto exchange; with photos of your documents or a short video.
start-needs-title = What you will need
start-needs-national-card = Your smart national card, or the receipt of its application
start-needs-phone = A mobile phone registered in your own name, to receive a text message
start-needs-sejam = Your Sejam registration tracking code (for a bourse code)
start-needs-paper = A sheet of white paper and a pen
start-needs-light = A quiet, well-lit place and about ten minutes
start-privacy-title = Your data stays safe
start-privacy-body = Everything you enter stays encrypted on this device only, until it is sent. It is sent for review only when you press “Send” yourself.

## Header and step guide

header-progress-label = Verification progress
header-back = Previous step
header-start-over = Start over
start-over-title = Start from the beginning?
start-over-body = Everything you have entered so far is erased from this device and cannot be brought back.
start-over-confirm = Erase and start again
start-over-cancel = No, continue

## Forms

form-continue = Continue
form-fix-errors = { $count ->
    [one] One answer needs correcting; see the message next to it.
   *[other] { $count } answers need correcting; see the message next to each.
}
form-commitments-intro = Read each commitment carefully and tick it if you agree.
hint-mobile = 11 digits, e.g. 09121234567
hint-national-code = The 10-digit number on your national card
hint-sejam-tracking-code = The 10-digit code texted to you after registering with Sejam
hint-card-serial = The 9 or 10 Latin letters and digits on the back of the card, e.g. 1G23456789
hint-card-receipt-code = The tracking code printed on the card application receipt
hint-birth-date = Solar Hijri (Jalali) calendar, year/month/day, e.g. 1370/01/15
hint-postal-code = 10 digits, no dash
hint-landline = With the area code, e.g. 02112345678
hint-bank-card = The 16 digits on your bank card
hint-address = Province, city, street, alley and number

## One-time code

code-sending = Sending the code…
code-sent-to = A { $length }-digit code was texted to:
code-label = Confirmation code
code-hint = You can copy the code from the text message and paste it here.
code-verify = Confirm code
code-expires-in = This code is valid for another { $time }.
code-expired-note = This code has expired; ask for a new one.
code-resend = Send a new code
code-resend-in = You can ask for a new code in { $time }.
code-resent = A new code was sent.
code-already-verified = The code of this step is already confirmed.
code-fix-details = Go back and correct the details

## Capture

capture-what-title = In this step
capture-what = This step takes: { $what }.
capture-rules-title = Before you start, keep these in mind
capture-challenge-digits = While recording, a few digits appear on the screen; show them in order with your fingers.
capture-challenge-sentence = While recording, a sentence appears on the screen; read it aloud, clearly.
capture-duration = The video lasts between { $min } and { $max } seconds.
capture-privacy = The camera turns on only when you open it. Photos and video stay encrypted on this device until you press “Send”.
capture-open = Turn on the camera
capture-opening = Turning on the camera…
capture-waiting = Waiting for the camera’s picture…
capture-live-title = Camera
capture-live-video-title = Camera, for recording the video
capture-preview-label = Live camera picture
capture-preview-label-mirrored = Live camera picture, mirrored
capture-fit-face = Bring your face inside the oval and keep facing the camera.
capture-fit-card = Hold the card so that its edges sit on the frame.
capture-fit-paper = Hold the paper so that all of it is inside the frame.
capture-fit-face-and-card = Keep your face inside the oval and the documents inside the frame beside it.
capture-shutter = Take the photo
capture-taking = Taking the photo…
capture-camera-device = Camera
capture-microphone-device = Microphone
capture-webview-camera = This device’s camera
capture-review-photo-title = Check the photo
capture-review-video-title = Check the video
capture-review-photo-alt = The photo you just took
capture-review-video-alt = The first picture of the video you just recorded
capture-review-photo-ask = Is the photo sharp, and does it follow every point of this step? If not, take it again.
capture-review-video-ask = Was your face visible throughout, and did you do what was asked? If not, record again.
capture-review-duration = Length of the video: { $seconds } seconds
capture-accept = Use this one
capture-retake = Take again
capture-redo = Record again
capture-challenge-sentence-title = Read this sentence aloud, clearly
capture-level-label = Microphone loudness
capture-level-value = { $percent }%
capture-record-start = Start recording (at most { $seconds } seconds)
capture-record-stop = Stop recording
capture-countdown-unit = seconds left
capture-countdown-spoken = { $seconds } seconds of recording left.
capture-stop-after = You can stop the recording after { $seconds } seconds.
capture-stop-now = When you have done what was asked, press “Stop recording”.
capture-encoding = Preparing the video…
capture-problem-camera = The camera is not ready
capture-problem-microphone = The microphone is not ready
capture-problem-kept = Everything you have entered so far is kept; you can close the app and continue from this step later.
capture-retry = Try the camera again
capture-retry-microphone = Try the microphone again
capture-back = Back to the previous step
capture-kept-title = You have done this step already
capture-kept-photo = The photo you took before is kept. You can continue with it or take a new one.
capture-kept-video = The video you recorded before is kept. You can continue with it or record a new one.
capture-keep = Continue with the earlier one

# Live guidance, auto-capture and the liveness challenge while recording.
capture-auto-hint = When everything is right, the photo is taken by itself. You can also take it yourself at any time with “Take the photo”.
capture-auto-label = Hold still
capture-auto-spoken = Hold still: the photo is taken by itself in a moment.
capture-digits-title = Show each digit with your fingers
capture-digits-before = Once recording starts, digits appear on the screen one at a time. Show each one to the camera with your fingers while it is on the screen.
capture-digit-wait = Get ready: the first digit is coming…
capture-digit-position = Digit { $index } of { $count }
capture-digit-spoken = Digit { $index } of { $count }: { $digit }
capture-stop-after-digits = You can stop the recording once the last digit has been shown.
capture-voice-heard = We hear you
capture-voice-waiting = We don’t hear you yet: read the sentence aloud
capture-no-speech = No speech was heard while the sentence was on the screen. Read it aloud, clearly, and record again.
capture-alternative-digits = I cannot read or speak: show me digits instead
capture-alternative-sentence = I would rather read a sentence aloud instead
capture-original-sentence = Back to reading the sentence
capture-original-digits = Back to showing digits

commitment-letter-title = The commitment letter
commitment-letter-howto = Copy this text in your own handwriting onto a sheet of plain white paper, fill in the blanks and sign at the bottom. Then take a photo of the whole sheet.
commitment-letter-text =
    I, ………………, national code { $nationalCode }, declare that the national card and the bank card I am sending for identity verification at this exchange are in my own name.
    I alone use my account; I do not hand it over to anyone else, rent it out or sell it.
    I do not use my bank card to deposit or withdraw for other people, and I am responsible for every purchase, sale, deposit and withdrawal of crypto-assets in this account.
    Date: ………………     Signature: ………………

## Review

review-intro = Check your details once more before continuing. If something is wrong, press “Edit”.
review-edit = Edit
review-verified = Confirmed
review-captured = Taken
review-consent-given = Accepted
review-continue = The details are correct, continue

## Sending

submit-title = Send for review
submit-intro = Every step is done. When you press “Send”, your details, photos and video are sent, encrypted, for review.
submit-summary = { $count ->
    [one] One step is ready to send.
   *[other] { $count } steps are ready to send.
}
submit-send = Send
submit-sending = Sending; please keep the app open.
submit-progress-label = Sending progress
submit-percent = { $percent }%
submit-now = Sending: { $what }
submit-what-manifest = form details
submit-what-media = { $step } ({ $media })
media-image = photo
media-video = video
media-audio = video sound
media-other = file
submit-kept = Nothing is lost; send again whenever you are ready.

## Status

status-title = Review status
status-open-title = Not sent yet
status-open-body = This verification has not been sent for review yet.
status-pending-title = Waiting for review
status-pending-body = Your details arrived and are waiting to be reviewed. A review usually takes a few hours. You can close the app; you will see the result here when you open it again.
status-needs-resubmission-title = Needs correcting and sending again
status-needs-resubmission-body = The reviewer found these need correcting:
status-needs-resubmission-next = To send again, press “Start over” and follow the steps with these points in mind.
status-approved-title = Your identity is verified
status-approved-body = Everything was in order. You can now use the service.
status-rejected-title = Verification was not approved
status-rejected-body = Unfortunately this request was not accepted. Contact support to learn why and how to continue.
status-checked-at = Last checked: { $time }
status-auto = The status is checked automatically every { $seconds } seconds.
status-check-now = Check status
reason-photo-blurred = The photo was blurred; hold the device still.
reason-photo-dark = The photo was too dark; take it in a brighter place.
reason-face-not-visible = Your face was not clearly visible; face the camera with nothing covering your face.
reason-signature-unclear = The signature was not legible; sign on white paper with a dark pen.
reason-video-challenge-failed = What the video asked for was not done correctly.
reason-document-unreadable = The document could not be read; keep all of it in the frame, without glare.
reason-data-mismatch = The details entered did not match the documents; check them again.
reason-other = An item the reviewer marked; contact support for details.

## Errors

banner-retry = Try again
banner-dismiss = Dismiss
banner-wait = Try again in { $seconds } seconds.
error-invalid_answers = Some answers need correcting; see the message next to each.
error-code_wrong = That code is not right. { $attempts ->
    [one] One more try left.
   *[other] { $attempts } more tries left.
}
error-code_expired = This code has expired; ask for a new one.
error-code_attempts_exhausted = No tries left for this code; ask for a new one.
error-code_not_sent = No code has been sent for this step yet; press “Send a new code”.
error-rate_limited = Too many requests; wait { $seconds } seconds and try again.
error-sejam_not_registered = This national code is not registered with Sejam. If you have registered, check the national code; otherwise register with Sejam first.
error-sejam_tracking_code_mismatch = The Sejam tracking code does not match this national code; check both.
error-answers_missing = Some answers did not reach the broker; go through the steps and send again.
error-session_not_found = Your verification session was not found at the broker; please start over.
error-session_closed = This verification session is closed and can no longer change.
error-session_token = Your session has expired; please start over.
error-already_submitted = This verification was already sent.
error-provider_failed = The inquiry or text message service is unavailable; try again in a few minutes.
error-server_failed = The verification server ran into an error; your data is safe, try again shortly.
error-server_garbage = The server's answer could not be read; try again shortly.
error-server_too_large = The server did not accept this much data; contact support.
error-timeout = The server did not answer in time; check your connection and try again.
error-network = There is no internet connection; try again once you are connected.
error-upload_gave_up = Sending did not complete after several tries; your data is safe on this device, try again.
error-outbox_failed = Preparing your data for sending on this device failed; try again.
error-storage_failed = Saving on this device failed; check the free space on the device.
error-no_session = No verification is in progress; choose one on the start screen.
error-not_finished = Some steps are not done yet; complete them before sending.
error-flow_unknown = This verification flow is not known.
error-camera_missing = No camera was found. Connect a camera to this device and press “Try again”.
error-camera_busy = Another app is using the camera. Close apps such as video calls and try again.
error-camera_denied = This app is not allowed to use the camera. Allow camera access for it in the device’s privacy settings and try again.
error-camera_failed = The camera stopped working. If it is a separate camera, check its cable and try again; if you have more than one, choose another.
error-camera_not_open = The camera is off. Press “Try again” to turn it back on.
error-no_frame = The camera turned on but sent no picture. If it has a cover or an off switch, open it and try again, or choose another camera.
error-microphone_missing = No microphone was found. Connect a microphone or a headset and try again.
error-microphone_busy = Another app is using the microphone. Close that app and try again.
error-microphone_denied = This app is not allowed to use the microphone. Allow microphone access for it in the device’s privacy settings and try again.
error-microphone_failed = The microphone stopped working. Check its connection and try again, or choose another microphone.
error-microphone_silent = No voice was heard in this video. Check that the microphone is not muted, read closer and louder, and record again.
error-capture_failed = The photo could not be made. Take it again; if that fails too, choose another camera.
error-recording_failed = The video could not be finished. Record again; if that fails too, close the app and open it again. What you have entered so far is kept.
error-recording_running = The recording is still going; wait for it to end or stop it.
error-recording_not_started = No recording is under way. Press the record button to start.
error-nothing_to_review = Nothing is left to review; take the photo or record again.
error-unknown = Something unexpected went wrong; your data is safe, try again.

## Kiosk mode (a walk-up device in a branch)

kiosk-idle-title = Are you still there?
kiosk-idle-body = Nothing has happened for a while. Unless you carry on, everything you entered on this device will be wiped, to protect your privacy.
kiosk-idle-countdown = Wiped in { $seconds } seconds
kiosk-idle-continue = Yes, I am still here
kiosk-idle-leave = I am done, wipe it
kiosk-done-title = You are done at this device
kiosk-done-body = To protect your privacy, everything of yours is wiped from this device for the next person. The broker will let you know the outcome of the review.
kiosk-done-countdown = Wiped in { $seconds } seconds
kiosk-done-now = Finish and wipe
kiosk-resetting = Wiping your details…
kiosk-operator = Branch staff
kiosk-operator-title = Leave kiosk mode
kiosk-operator-body = For branch staff only. With the staff PIN, the app wipes everything and closes.
kiosk-operator-pin = Staff PIN
kiosk-operator-leave = Leave
kiosk-operator-cancel = Cancel
error-kiosk_pin_wrong = That PIN is not right. { $attempts ->
    [one] One more try
   *[other] { $attempts } more tries
} before a wait.
error-kiosk_locked_out = Too many wrong PINs; wait { $seconds } seconds and try again.
error-kiosk_off = This device is not in kiosk mode.
error-kiosk_unavailable = Kiosk mode is not set up properly; call the branch's technical support.

## Accessibility

# The window's title: the current screen's heading, then the app's name (screen readers read it).
document-title = { $screen } – { app-name }
code-auto-check = The code is checked by itself as soon as it is complete.
# A device in the list to choose from: its number and the name the system gives it.
capture-camera-option = Camera { $index }: { $name }
capture-microphone-option = Microphone { $index }: { $name }

## Phones

# What iOS shows when it first asks for the camera and the microphone: both languages go
# into src-tauri/Info.ios.plist (Persian, then English), checked by src-tauri/tests/mobile.rs.
os-camera-usage = Ehraz uses the camera to take the photos and the video of your identity verification, and to guide you while you take them. They stay encrypted on this device until you send them.
os-microphone-usage = Ehraz uses the microphone to record the sound of your identity verification video.
