# پیام‌های هسته‌ی احراز: خطاهای اعتبارسنجی، عنوان مرحله‌ها، برچسب فیلدها و قواعد تصویربرداری.
# هر شناسه باید در en/ehraz-core.ftl هم باشد؛ آزمون‌ها این را بررسی می‌کنند.

## کد ملی

national-code-empty = کد ملی را وارد کنید.
national-code-not-digits = کد ملی فقط از رقم تشکیل می‌شود.
national-code-length = کد ملی باید ۱۰ رقم باشد.
national-code-repeated = کد ملی نمی‌تواند از تکرار یک رقم ساخته شود.
national-code-checksum = این کد ملی معتبر نیست؛ رقم‌ها را دوباره با کارت ملی مقایسه کنید.

## شماره همراه

mobile-empty = شماره همراه را وارد کنید.
mobile-not-digits = شماره همراه فقط از رقم تشکیل می‌شود (علامت + فقط در ابتدای آن).
mobile-format = شماره همراه باید با ۰۹ شروع شود و ۱۱ رقم باشد، مانند ۰۹۱۲۱۲۳۴۵۶۷.
operator-mci = همراه اول
operator-irancell = ایرانسل
operator-rightel = رایتل
operator-taliya = تالیا
operator-shatel-mobile = شاتل موبایل
operator-unknown = اپراتور دیگر

## کد یک‌بار مصرف

one-time-code-empty = کدی را که پیامک شده است وارد کنید.
one-time-code-not-digits = کد تأیید فقط از رقم تشکیل می‌شود.
one-time-code-length = کد تأیید باید { $length } رقم باشد.

## کد پیگیری سجام

sejam-tracking-code-empty = کد پیگیری سجام را وارد کنید.
sejam-tracking-code-not-digits = کد پیگیری سجام فقط از رقم تشکیل می‌شود.
sejam-tracking-code-length = کد پیگیری سجام باید ۱۰ رقم باشد.

## سریال کارت ملی هوشمند و رسید آن

card-serial-empty = سریال پشت کارت ملی را وارد کنید.
card-serial-persian-letters = حرف‌های سریال کارت لاتین هستند؛ صفحه‌کلید را انگلیسی کنید و دوباره بنویسید.
card-serial-characters = سریال کارت فقط از حرف لاتین و رقم تشکیل می‌شود.
card-serial-length = سریال کارت ملی ۹ یا ۱۰ نویسه است.
card-receipt-code-empty = کد رهگیری رسید کارت ملی را وارد کنید.
card-receipt-code-not-digits = کد رهگیری رسید فقط از رقم تشکیل می‌شود.
card-receipt-code-length = کد رهگیری رسید باید بین ۸ تا ۲۰ رقم باشد.

## تاریخ تولد

birth-date-empty = تاریخ تولد را وارد کنید.
birth-date-format = تاریخ تولد را به شکل سال/ماه/روز بنویسید، مانند ۱۳۷۰/۰۱/۱۵.
birth-date-gregorian = تاریخ تولد را به تقویم شمسی وارد کنید، نه میلادی.
birth-date-no-such-day = این روز در تقویم شمسی وجود ندارد.
birth-date-in-future = تاریخ تولد نمی‌تواند در آینده باشد.
birth-date-implausible = تاریخ تولد درست به نظر نمی‌رسد؛ سال را بررسی کنید.
birth-date-underage = احراز هویت فقط برای افراد ۱۸ سال به بالا ممکن است.

## کد پستی، تلفن ثابت و نشانی

postal-code-empty = کد پستی را وارد کنید.
postal-code-not-digits = کد پستی فقط از رقم تشکیل می‌شود.
postal-code-length = کد پستی باید ۱۰ رقم باشد.
postal-code-pattern = این کد پستی معتبر نیست؛ در پنج رقم اول کد پستی، ۰ و ۲ نمی‌آید.
landline-empty = شماره تلفن ثابت را وارد کنید.
landline-not-digits = شماره تلفن ثابت فقط از رقم تشکیل می‌شود.
landline-missing-area-code = پیش‌شماره‌ی شهر را هم بنویسید، مانند ۰۲۱ برای تهران.
landline-is-mobile = این شماره همراه است؛ شماره‌ی تلفن ثابت خانه یا محل کار را وارد کنید.
landline-format = تلفن ثابت باید ۱۱ رقم باشد: ۰، پیش‌شماره‌ی دو رقمی شهر و ۸ رقم.
address-empty = نشانی را وارد کنید.
address-too-short = نشانی کامل‌تری بنویسید: شهر، خیابان، کوچه و پلاک.
address-too-long = نشانی نباید بیش از ۳۰۰ نویسه باشد.

## کارت بانکی

bank-card-empty = شماره‌ی کارت بانکی را وارد کنید.
bank-card-not-digits = شماره‌ی کارت فقط از رقم تشکیل می‌شود.
bank-card-length = شماره‌ی کارت بانکی باید ۱۶ رقم باشد.
bank-card-checksum = این شماره‌ی کارت معتبر نیست؛ رقم‌ها را دوباره با کارت مقایسه کنید.

## گزینه‌ها و تعهدها

choice-empty = یکی از گزینه‌ها را انتخاب کنید.
choice-unknown = این گزینه در فهرست نیست؛ یکی از گزینه‌های موجود را انتخاب کنید.
consent-required = برای ادامه باید این تعهد را بپذیرید.

## راهنمای گام‌ها

wizard-wrong-step = این کار در این مرحله ممکن نیست.
wizard-fields-missing = هنوز به همه‌ی پرسش‌های این مرحله پاسخ نداده‌اید.
wizard-not-verified = کد تأیید این مرحله هنوز تأیید نشده است.
wizard-empty-receipt = پاسخ کارگزار برای تأیید کد ناقص بود؛ دوباره تلاش کنید.
wizard-missing-artifact = عکس یا ویدئوی این مرحله هنوز گرفته نشده است.
wizard-media-type = این نوع فایل برای این مرحله پذیرفته نمی‌شود.
wizard-missing-challenge = چالش زنده‌بودن این ویدئو ثبت نشده است؛ ویدئو را دوباره ضبط کنید.
wizard-challenge-mismatch = چالش نمایش‌داده‌شده با این مرحله جور نیست؛ ویدئو را دوباره ضبط کنید.
wizard-checks-malformed = نتیجه‌ی بررسی‌های دوربین ثبت نشد؛ دوباره عکس بگیرید.
wizard-at-first-step = این نخستین مرحله است.
wizard-finished = همه‌ی مرحله‌ها انجام شده است.
wizard-not-finished = هنوز چند مرحله مانده است.
wizard-unknown-step = چنین مرحله‌ای در این روند نیست.
wizard-not-reached = هنوز به این مرحله نرسیده‌اید.
wizard-restore-failed = اطلاعات ذخیره‌شده‌ی جلسه‌ی قبل خوانا نبود؛ احراز هویت را از ابتدا شروع کنید.
wizard-progress = مرحله‌ی { $number } از { $total }
flow-unknown = این روند احراز هویت شناخته نیست.
flow-invalid = روندی که سرور فرستاد قابل استفاده نیست؛ روند همراه برنامه به کار می‌رود.

## عنوان مرحله‌ها

step-mobile = شماره همراه
step-mobile-code = کد تأیید پیامکی
step-identity = کد ملی و کد پیگیری سجام
step-sejam-code = کد تأیید سجام
step-card = کارت ملی هوشمند
step-selfie = عکس چهره
step-signature = عکس امضا
step-selfie-video = ویدئوی چهره
step-review = بررسی اطلاعات
step-commitments = پذیرش تعهدات
step-basic = اطلاعات پایه
step-method = روش احراز هویت
step-commitment-letter = عکس تعهدنامه‌ی دست‌نویس
step-identity-document = مدرک شناسایی
step-identity-document-photo = عکس مدرک شناسایی
step-bank-card = کارت بانکی
step-bank-card-photo = عکس کارت بانکی
step-selfie-with-documents = عکس چهره همراه مدارک
step-video = ویدئوی خواندن جمله
step-contact = راه تماس

## برچسب فیلدها و گزینه‌ها

field-mobile = شماره همراه
field-national-code = کد ملی
field-sejam-tracking-code = کد پیگیری سجام
field-card-document = کدام را در دست دارید؟
option-card-document-smart-card = کارت ملی هوشمند
option-card-document-receipt = رسید درخواست کارت ملی هوشمند
field-card-serial = سریال پشت کارت ملی
field-card-receipt-code = کد رهگیری رسید کارت ملی
field-birth-date = تاریخ تولد (شمسی)
field-method = روش احراز هویت
option-method-documents = ارسال عکس مدارک
option-method-video = ضبط ویدئو و خواندن یک جمله
field-identity-document = کدام مدرک را می‌فرستید؟
option-identity-document-national-card = کارت ملی هوشمند
option-identity-document-birth-certificate = شناسنامه‌ی جدید
option-identity-document-military-card-with-old-document = کارت پایان خدمت هوشمند همراه یک مدرک قدیمی
option-identity-document-driving-licence-with-old-document = گواهینامه‌ی رانندگی همراه یک مدرک قدیمی
option-identity-document-old-documents = هر دو مدرک قدیمی در یک عکس
field-bank-card = شماره‌ی کارت بانکی
field-contact-kind = از چه راهی با شما تماس بگیریم؟
option-contact-kind-landline = تلفن ثابت (خانه یا محل کار)
option-contact-kind-address = نشانی و کد پستی
field-landline = تلفن ثابت با پیش‌شماره
field-address = نشانی پستی
field-postal-code = کد پستی
field-commit-truthful = گواهی می‌کنم همه‌ی اطلاعاتی که وارد کرده‌ام درست و کامل است.
field-commit-own-identity = گواهی می‌کنم این اطلاعات، عکس‌ها و ویدئو متعلق به خود من است و هویت کس دیگری را به کار نبرده‌ام.
field-commit-media-processing = می‌پذیرم که عکس‌ها و ویدئوی من فقط برای احراز هویت بررسی و نگهداری شود.

## نوع تصویربرداری

capture-selfie-photo = عکس چهره
capture-signature-photo = عکس امضا
capture-selfie-video = ویدئوی چهره
capture-commitment-letter-photo = عکس تعهدنامه
capture-identity-document-photo = عکس مدرک شناسایی
capture-bank-card-photo = عکس کارت بانکی
capture-selfie-with-documents-photo = عکس چهره همراه مدارک

## قواعد تصویربرداری

rule-hold-still = دستگاه را ثابت نگه دارید تا تصویر نلرزد.
rule-good-light = در جایی با نور کافی و یکنواخت باشید؛ پشت به پنجره یا چراغ نایستید.
rule-face-in-frame = چهره‌ی شما کامل و نزدیک، درون قاب مشخص‌شده باشد.
rule-only-one-person = فقط خودتان در تصویر باشید.
rule-no-photo-frame = عکس یا قاب عکس دیگری در پس‌زمینه نباشد.
rule-no-mask = ماسک یا عینک آفتابی نزنید و چیزی جلوی چهره‌تان را نپوشاند.
rule-dress-code = پوشش شما مانند عکس مدارک رسمی باشد (رعایت حجاب الزامی است).
rule-white-paper = روی کاغذ سفید و بدون خط امضا کنید.
rule-phone-close = دوربین را نزدیک کاغذ بگیرید تا امضا بیشتر کادر را پر کند.
rule-sharp-and-lit = تصویر واضح و روشن باشد و سایه روی آن نیفتد.
rule-white-background = پس‌زمینه‌ی پشت سرتان سفید و ساده باشد.
rule-show-digits-with-fingers = عددهایی را که روی صفحه می‌آید، به ترتیب از چپ، با انگشتان دست نشان دهید.
rule-read-sentence-aloud = جمله‌ای را که روی صفحه می‌آید با صدای رسا بخوانید.
rule-handwritten-commitment = متن تعهدنامه را که در برنامه می‌بینید با خط خودتان بنویسید و امضا کنید.
rule-whole-document = همه‌ی مدرک در کادر باشد و هیچ گوشه‌ای از آن بیرون نماند.
rule-no-glare = نور مستقیم روی مدرک نیفتد تا نوشته‌ها زیر بازتاب نور گم نشوند.
rule-documents-beside-face = مدارک را کنار چهره‌تان نگه دارید، طوری که هم چهره و هم مدارک خوانا باشند.

## Sentences read aloud in the video step (exchange flow); one is drawn at random.
challenge-sentence-1 = من این ویدیو را امروز و به خواست خودم برای احراز هویت ضبط می‌کنم.
challenge-sentence-2 = حساب کاربری من فقط برای خودم است و آن را به کسی نمی‌سپارم.
challenge-sentence-3 = اطلاعاتی که فرستاده‌ام درست است و به خودم تعلق دارد.
challenge-sentence-4 = رمز و کد یک‌بارمصرف حساب خودم را به هیچ‌کس نمی‌گویم.
challenge-sentence-5 = من خودم صاحب این حساب هستم و کسی به جای من از آن استفاده نمی‌کند.
challenge-sentence-6 = با ضبط این ویدیو درخواست احراز هویت خودم را تأیید می‌کنم.
