# Messages of Ehraz's core: validation errors, step titles, field labels and capture rules.
# Every id here must also be in fa/ehraz-core.ftl; the tests check it.

## National code

national-code-empty = Enter your national code.
national-code-not-digits = A national code is made of digits only.
national-code-length = A national code has 10 digits.
national-code-repeated = A national code cannot be one digit repeated.
national-code-checksum = This national code is not valid; compare the digits with your national card.

## Mobile number

mobile-empty = Enter your mobile number.
mobile-not-digits = A mobile number is made of digits only (a + only at the start).
mobile-format = A mobile number starts with 09 and has 11 digits, like 09121234567.
operator-mci = MCI (Hamrah-e Aval)
operator-irancell = Irancell
operator-rightel = Rightel
operator-taliya = Taliya
operator-shatel-mobile = Shatel Mobile
operator-unknown = another operator

## One-time code

one-time-code-empty = Enter the code we sent you by SMS.
one-time-code-not-digits = The code is made of digits only.
one-time-code-length = The code has { $length } digits.

## Sejam tracking code

sejam-tracking-code-empty = Enter your Sejam tracking code.
sejam-tracking-code-not-digits = A Sejam tracking code is made of digits only.
sejam-tracking-code-length = A Sejam tracking code has 10 digits.

## Smart national card serial and its receipt

card-serial-empty = Enter the serial on the back of your national card.
card-serial-persian-letters = The serial uses Latin letters; switch your keyboard to English and type it again.
card-serial-characters = A card serial is made of Latin letters and digits only.
card-serial-length = A national card serial has 9 or 10 characters.
card-receipt-code-empty = Enter the tracking code of your national card receipt.
card-receipt-code-not-digits = A receipt tracking code is made of digits only.
card-receipt-code-length = A receipt tracking code has 8 to 20 digits.

## Birth date

birth-date-empty = Enter your date of birth.
birth-date-format = Write your date of birth as year/month/day, like 1370/01/15.
birth-date-gregorian = Enter your date of birth in the Solar Hijri (Jalali) calendar, not the Gregorian one.
birth-date-no-such-day = That day does not exist in the Solar Hijri calendar.
birth-date-in-future = A date of birth cannot be in the future.
birth-date-implausible = That date of birth does not look right; check the year.
birth-date-underage = Identity verification is open only to people aged 18 or over.

## Postal code, landline and address

postal-code-empty = Enter your postal code.
postal-code-not-digits = A postal code is made of digits only.
postal-code-length = A postal code has 10 digits.
postal-code-pattern = This postal code is not valid; its first five digits never include 0 or 2.
landline-empty = Enter your landline number.
landline-not-digits = A landline number is made of digits only.
landline-missing-area-code = Add the city's area code too, like 021 for Tehran.
landline-is-mobile = This is a mobile number; enter the landline of your home or workplace.
landline-format = A landline number has 11 digits: 0, a two-digit area code and 8 digits.
address-empty = Enter your address.
address-too-short = Write a fuller address: city, street, alley and number.
address-too-long = An address can have at most 300 characters.

## Bank card

bank-card-empty = Enter your bank card number.
bank-card-not-digits = A card number is made of digits only.
bank-card-length = A bank card number has 16 digits.
bank-card-checksum = This card number is not valid; compare the digits with your card.

## Choices and commitments

choice-empty = Choose one of the options.
choice-unknown = That is not one of the options; choose one from the list.
consent-required = You need to accept this commitment to go on.

## Wizard

wizard-wrong-step = That cannot be done at this step.
wizard-fields-missing = Some questions of this step are not answered yet.
wizard-not-verified = The code of this step is not confirmed yet.
wizard-empty-receipt = The server's confirmation of the code was incomplete; try again.
wizard-missing-artifact = The photo or video of this step has not been taken yet.
wizard-media-type = This step does not take a file of this type.
wizard-missing-challenge = The liveness challenge of this video was not recorded; record the video again.
wizard-challenge-mismatch = The challenge shown does not fit this step; record the video again.
wizard-checks-malformed = The camera checks could not be recorded; take the picture again.
wizard-at-first-step = This is the first step.
wizard-finished = Every step is done.
wizard-not-finished = Some steps are still to do.
wizard-unknown-step = This flow has no such step.
wizard-not-reached = You have not reached that step yet.
wizard-restore-failed = The saved session could not be read; please start the verification again.
wizard-progress = Step { $number } of { $total }
flow-unknown = This verification flow is not known.
flow-invalid = The flow the server sent cannot be used; the app's own flow is used instead.

## Step titles

step-mobile = Mobile number
step-mobile-code = SMS code
step-identity = National code and Sejam tracking code
step-sejam-code = Sejam code
step-card = Smart national card
step-selfie = Photo of your face
step-signature = Photo of your signature
step-selfie-video = Video of your face
step-review = Review your details
step-commitments = Commitments
step-basic = Basic details
step-method = Verification method
step-commitment-letter = Photo of the handwritten commitment
step-identity-document = Identity document
step-identity-document-photo = Photo of your identity document
step-bank-card = Bank card
step-bank-card-photo = Photo of your bank card
step-selfie-with-documents = Photo of you holding your documents
step-video = Video of you reading a sentence
step-contact = How to reach you

## Field labels and options

field-mobile = Mobile number
field-national-code = National code
field-sejam-tracking-code = Sejam tracking code
field-card-document = Which do you have?
option-card-document-smart-card = Smart national card
option-card-document-receipt = Receipt of a smart card application
field-card-serial = Serial on the back of the national card
field-card-receipt-code = Tracking code on the card receipt
field-birth-date = Date of birth (Solar Hijri)
field-method = Verification method
option-method-documents = Send photos of documents
option-method-video = Record a video reading a sentence
field-identity-document = Which document will you send?
option-identity-document-national-card = Smart national card
option-identity-document-birth-certificate = New-series birth certificate
option-identity-document-military-card-with-old-document = Smart military service card with an old document
option-identity-document-driving-licence-with-old-document = Driving licence with an old document
option-identity-document-old-documents = Both old documents in one photo
field-bank-card = Bank card number
field-contact-kind = How should we reach you?
option-contact-kind-landline = Landline (home or workplace)
option-contact-kind-address = Address and postal code
field-landline = Landline with area code
field-address = Postal address
field-postal-code = Postal code
field-commit-truthful = I confirm that everything I entered is true and complete.
field-commit-own-identity = I confirm that these details, photos and video are my own and that I have used no one else's identity.
field-commit-media-processing = I agree that my photos and video are examined and kept for identity verification only.

## Capture kinds

capture-selfie-photo = Photo of your face
capture-signature-photo = Photo of your signature
capture-selfie-video = Video of your face
capture-commitment-letter-photo = Photo of the commitment letter
capture-identity-document-photo = Photo of your identity document
capture-bank-card-photo = Photo of your bank card
capture-selfie-with-documents-photo = Photo of you with your documents

## Capture rules

rule-hold-still = Hold the device still so the picture does not shake.
rule-good-light = Be somewhere with enough even light; do not stand with a window or lamp behind you.
rule-face-in-frame = Keep your whole face close and inside the marked frame.
rule-only-one-person = Be the only person in the picture.
rule-no-photo-frame = No other photo or picture frame in the background.
rule-no-mask = Do not wear a mask or sunglasses, and keep your face uncovered.
rule-dress-code = Dress as for an official ID photo (hijab is required).
rule-white-paper = Sign on plain white unlined paper.
rule-phone-close = Hold the camera close to the paper so the signature fills most of the frame.
rule-sharp-and-lit = The picture must be sharp and bright, with no shadow across it.
rule-white-background = The background behind you should be plain and white.
rule-show-digits-with-fingers = Show the digits on the screen with your fingers, in order from the left.
rule-read-sentence-aloud = Read the sentence on the screen aloud, clearly.
rule-handwritten-commitment = Write out the commitment text shown in the app by hand, and sign it.
rule-whole-document = Keep the whole document in the frame, no corner cut off.
rule-no-glare = Keep direct light off the document so no reflection hides its text.
rule-documents-beside-face = Hold your documents beside your face so both your face and the documents are readable.

## Sentences read aloud in the video step (exchange flow); one is drawn at random.
challenge-sentence-1 = I am recording this video today, of my own will, to verify my identity.
challenge-sentence-2 = My account is for me alone and I will not hand it to anyone.
challenge-sentence-3 = The information I have sent is true and belongs to me.
challenge-sentence-4 = I will never tell anyone the password or one-time codes of my account.
challenge-sentence-5 = I am the owner of this account and nobody else uses it in my place.
challenge-sentence-6 = By recording this video I confirm my request to verify my identity.
