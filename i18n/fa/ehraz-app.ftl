# پیام‌های رابط کاربری احراز (ui/). هر شناسه باید در en/ehraz-app.ftl هم باشد، با همان آرگومان‌ها.
# برچسب فیلدها، عنوان مرحله‌ها و قواعد تصویربرداری در ehraz-core.ftl است.

## کلی

app-name = احراز
app-tagline = احراز هویت غیرحضوری، امن و ساده
app-version = نسخه‌ی { $version }
app-loading = در حال آماده‌سازی…
app-busy = لطفاً کمی صبر کنید…

## صفحه‌ی شروع

start-title = احراز هویت بدون مراجعه‌ی حضوری
start-intro = در چند مرحله‌ی کوتاه، هویت خود را از همین‌جا تأیید کنید. هر مرحله توضیح می‌دهد چه چیزی لازم است و چرا.
start-choose = کدام احراز هویت را انجام می‌دهید؟
start-flow-sejam-title = احراز هویت سجام برای کد بورسی
start-flow-sejam-body = برای گرفتن کد بورسی و معامله در بورس؛ ثبت‌نام در سامانه‌ی سجام لازم است.
start-flow-exchange-title = احراز هویت صرافی رمزارز
start-flow-exchange-body = برای خرید و فروش در صرافی رمزارز؛ با عکس مدارک یا با یک ویدئوی کوتاه.
start-needs-title = آنچه لازم دارید
start-needs-national-card = کارت ملی هوشمند یا رسید درخواست آن
start-needs-phone = گوشی همراهی که به نام خودتان است، برای دریافت پیامک
start-needs-sejam = کد پیگیری ثبت‌نام در سجام (برای کد بورسی)
start-needs-paper = یک برگه‌ی کاغذ سفید و خودکار
start-needs-light = جایی آرام و روشن، و حدود ده دقیقه وقت
start-privacy-title = اطلاعات شما امن می‌ماند
start-privacy-body = هرچه وارد می‌کنید تا پیش از ارسال، رمزنگاری‌شده فقط روی همین دستگاه می‌ماند. فقط وقتی خودتان «ارسال» را بزنید، برای بررسی فرستاده می‌شود.

## سربرگ و راهنمای مرحله‌ها

header-progress-label = پیشرفت احراز هویت
header-back = مرحله‌ی قبل
header-start-over = شروع دوباره
start-over-title = از ابتدا شروع کنیم؟
start-over-body = همه‌ی اطلاعاتی که تا اینجا وارد کرده‌اید از این دستگاه پاک می‌شود و برگرداندن آن ممکن نیست.
start-over-confirm = پاک کن و از نو شروع کن
start-over-cancel = نه، ادامه می‌دهم

## فرم‌ها

form-continue = ادامه
form-fix-errors = { $count } مورد نیاز به اصلاح دارد؛ پیام کنار هر مورد را ببینید.
form-commitments-intro = هر تعهد را با دقت بخوانید و اگر با آن موافقید، آن را علامت بزنید.
hint-mobile = ۱۱ رقم، مانند ۰۹۱۲۱۲۳۴۵۶۷
hint-national-code = شماره‌ی ۱۰ رقمی روی کارت ملی
hint-sejam-tracking-code = کد ۱۰ رقمی که پس از ثبت‌نام در سجام برایتان پیامک شده است
hint-card-serial = ۹ یا ۱۰ نویسه‌ی لاتین پشت کارت ملی، مانند 1G23456789
hint-card-receipt-code = کد رهگیری چاپ‌شده روی رسید درخواست کارت ملی
hint-birth-date = به تقویم شمسی و به شکل سال/ماه/روز، مانند ۱۳۷۰/۰۱/۱۵
hint-postal-code = ۱۰ رقم، بدون خط تیره
hint-landline = با پیش‌شماره‌ی شهر، مانند ۰۲۱۱۲۳۴۵۶۷۸
hint-bank-card = ۱۶ رقم روی کارت بانکی
hint-address = استان، شهر، خیابان، کوچه و پلاک

## کد تأیید

code-sending = در حال فرستادن کد تأیید…
code-sent-to = کد تأیید { $length } رقمی به این شماره پیامک شد:
code-label = کد تأیید
code-hint = می‌توانید کد را از پیامک کپی و اینجا جای‌گذاری کنید.
code-verify = تأیید کد
code-expires-in = این کد تا { $time } دیگر معتبر است.
code-expired-note = زمان این کد تمام شده است؛ کد تازه بخواهید.
code-resend = ارسال دوباره‌ی کد
code-resend-in = ارسال دوباره‌ی کد تا { $time } دیگر ممکن می‌شود.
code-resent = کد تازه فرستاده شد.
code-already-verified = کد این مرحله پیش‌تر تأیید شده است.
code-fix-details = بازگشت و اصلاح اطلاعات

## تصویربرداری

capture-what-title = در این مرحله
capture-what = در این مرحله { $what } گرفته می‌شود.
capture-rules-title = پیش از شروع، به این نکته‌ها توجه کنید
capture-challenge-digits = هنگام ضبط، چند عدد روی صفحه می‌آید؛ آن‌ها را به ترتیب با انگشتان دستتان نشان دهید.
capture-challenge-sentence = هنگام ضبط، یک جمله روی صفحه می‌آید؛ آن را با صدای رسا و شمرده بخوانید.
capture-duration = ویدئو بین { $min } تا { $max } ثانیه طول می‌کشد.
capture-privacy = دوربین فقط وقتی روشن می‌شود که خودتان آن را باز کنید. عکس و ویدئو رمزنگاری‌شده روی همین دستگاه می‌ماند تا «ارسال» را بزنید.
capture-open = روشن کردن دوربین
capture-opening = در حال روشن کردن دوربین…
capture-waiting = منتظر تصویر دوربین…
capture-live-title = تصویر دوربین
capture-live-video-title = تصویر دوربین برای ضبط ویدئو
capture-preview-label = تصویر زنده‌ی دوربین
capture-preview-label-mirrored = تصویر زنده‌ی دوربین، مانند آینه
capture-fit-face = چهره‌تان را درون بیضی بیاورید و روبه‌روی دوربین بمانید.
capture-fit-card = کارت را طوری بگیرید که لبه‌هایش روی کادر بنشیند.
capture-fit-paper = برگه را طوری بگیرید که کامل درون کادر باشد.
capture-fit-face-and-card = چهره‌تان را درون بیضی و مدارک را درون کادر کنار آن نگه دارید.
capture-shutter = گرفتن عکس
capture-taking = در حال گرفتن عکس…
capture-camera-device = دوربین
capture-microphone-device = میکروفون
capture-webview-camera = دوربین این دستگاه
capture-review-photo-title = عکس را بررسی کنید
capture-review-video-title = ویدئو را بررسی کنید
capture-review-photo-alt = عکسی که همین حالا گرفتید
capture-review-video-alt = نخستین تصویر ویدئویی که همین حالا ضبط کردید
capture-review-photo-ask = آیا عکس واضح است و همه‌ی نکته‌های این مرحله در آن رعایت شده است؟ اگر نه، دوباره بگیرید.
capture-review-video-ask = آیا چهره‌تان در همه‌ی ویدئو پیدا بود و کار خواسته‌شده را انجام دادید؟ اگر نه، دوباره ضبط کنید.
capture-review-duration = مدت ویدئو: { $seconds } ثانیه
capture-accept = همین را می‌فرستم
capture-retake = گرفتن دوباره
capture-redo = ضبط دوباره
capture-challenge-sentence-title = این جمله را با صدای رسا بخوانید
capture-level-label = بلندی صدای میکروفون
capture-level-value = { $percent }٪
capture-record-start = شروع ضبط (حداکثر { $seconds } ثانیه)
capture-record-stop = پایان ضبط
capture-countdown-unit = ثانیه مانده
capture-countdown-spoken = { $seconds } ثانیه تا پایان ضبط مانده است.
capture-stop-after = پس از { $seconds } ثانیه می‌توانید ضبط را تمام کنید.
capture-stop-now = هر وقت کار خواسته‌شده را انجام دادید، «پایان ضبط» را بزنید.
capture-encoding = در حال آماده‌سازی ویدئو…
capture-problem-camera = دوربین آماده نیست
capture-problem-microphone = میکروفون آماده نیست
capture-problem-kept = هرچه تا اینجا وارد کرده‌اید محفوظ است؛ می‌توانید برنامه را ببندید و بعداً از همین مرحله ادامه دهید.
capture-retry = تلاش دوباره برای روشن کردن دوربین
capture-retry-microphone = تلاش دوباره برای روشن کردن میکروفون
capture-back = بازگشت به مرحله‌ی قبل
capture-kept-title = این مرحله را پیش‌تر انجام داده‌اید
capture-kept-photo = عکسی که قبلاً گرفتید نگه داشته شده است. می‌توانید با همان ادامه دهید یا عکس تازه‌ای بگیرید.
capture-kept-video = ویدئویی که قبلاً ضبط کردید نگه داشته شده است. می‌توانید با همان ادامه دهید یا ویدئوی تازه‌ای ضبط کنید.
capture-keep = ادامه با همان قبلی

# Live guidance, auto-capture and the liveness challenge while recording.
capture-auto-hint = وقتی همه‌چیز درست باشد، عکس خودبه‌خود گرفته می‌شود. هر وقت بخواهید، با دکمه‌ی «گرفتن عکس» هم می‌توانید خودتان عکس بگیرید.
capture-auto-label = ثابت بمانید
capture-auto-spoken = ثابت بمانید؛ عکس تا لحظه‌ای دیگر خودکار گرفته می‌شود.
capture-digits-title = هر عدد را با انگشتان دستتان نشان دهید
capture-digits-before = پس از شروع ضبط، عددها یکی‌یکی روی صفحه می‌آیند. هر عدد را تا وقتی روی صفحه است، با انگشتان دستتان جلوی دوربین نشان دهید.
capture-digit-wait = آماده باشید؛ نخستین عدد همین الان می‌آید…
capture-digit-position = عدد { $index } از { $count }
capture-digit-spoken = عدد { $index } از { $count }: { $digit }
capture-stop-after-digits = پس از نمایش آخرین عدد می‌توانید ضبط را تمام کنید.
capture-voice-heard = صدایتان را می‌شنویم
capture-voice-waiting = هنوز صدایی نمی‌شنویم؛ جمله را بلند بخوانید
capture-no-speech = تا وقتی جمله روی صفحه بود، صدای خواندن آن شنیده نشد. جمله را با صدای رسا بخوانید و دوباره ضبط کنید.
capture-alternative-digits = نمی‌توانم بخوانم یا حرف بزنم؛ به جای جمله، عدد نشانم بده
capture-alternative-sentence = به جای نشان دادن عدد، جمله‌ای را بلند می‌خوانم
capture-original-sentence = برگشت به خواندن جمله
capture-original-digits = برگشت به نشان دادن عددها

commitment-letter-title = متن تعهدنامه
commitment-letter-howto = این متن را با خط خودتان روی یک برگه‌ی کاغذ سفید بنویسید، جاهای خالی را پر کنید و پای آن امضا کنید. بعد از همه‌ی برگه عکس بگیرید.
commitment-letter-text =
    اینجانب ……………… به کد ملی { $nationalCode } اعلام می‌کنم که کارت ملی و کارت بانکی‌ای که برای احراز هویت در این صرافی می‌فرستم، به نام خودم است.
    حساب کاربری‌ام را فقط خودم به کار می‌برم و آن را به کس دیگری نمی‌سپارم، اجاره نمی‌دهم و نمی‌فروشم.
    کارت بانکی‌ام را برای واریز و برداشت دیگران به کار نمی‌برم و مسئولیت همه‌ی خرید، فروش، واریز و برداشت رمزارز در این حساب با خودم است.
    تاریخ: ………………     امضا: ………………

## بررسی اطلاعات

review-intro = پیش از ادامه، اطلاعات را یک بار دیگر بررسی کنید. اگر چیزی نادرست است، «ویرایش» را بزنید.
review-edit = ویرایش
review-verified = تأیید شد
review-captured = گرفته شد
review-consent-given = پذیرفته شد
review-continue = اطلاعات درست است، ادامه

## ارسال

submit-title = ارسال برای بررسی
submit-intro = همه‌ی مرحله‌ها انجام شده است. با زدن «ارسال»، اطلاعات، عکس‌ها و ویدئو به‌صورت رمزنگاری‌شده برای بررسی فرستاده می‌شود.
submit-summary = { $count } مرحله آماده‌ی ارسال است.
submit-send = ارسال
submit-sending = در حال ارسال؛ لطفاً برنامه را نبندید.
submit-progress-label = پیشرفت ارسال
submit-percent = { $percent }٪
submit-now = در حال ارسال: { $what }
submit-what-manifest = اطلاعات فرم‌ها
submit-what-media = { $step } ({ $media })
media-image = عکس
media-video = ویدئو
media-audio = صدای ویدئو
media-other = فایل
submit-kept = چیزی از دست نرفته است؛ هر وقت آماده بودید دوباره ارسال کنید.

## وضعیت

status-title = وضعیت بررسی
status-open-title = هنوز ارسال نشده است
status-open-body = این احراز هویت هنوز برای بررسی فرستاده نشده است.
status-pending-title = در انتظار بررسی
status-pending-body = اطلاعات شما رسید و در نوبت بررسی است. بررسی معمولاً چند ساعت طول می‌کشد. می‌توانید برنامه را ببندید؛ نتیجه را هر وقت دوباره آن را باز کنید، اینجا می‌بینید.
status-needs-resubmission-title = نیاز به اصلاح و ارسال دوباره
status-needs-resubmission-body = کارشناس بررسی، این موارد را نیازمند اصلاح دانسته است:
status-needs-resubmission-next = برای ارسال دوباره، «شروع دوباره» را بزنید و مرحله‌ها را با دقت به این نکته‌ها انجام دهید.
status-approved-title = احراز هویت شما تأیید شد
status-approved-body = همه چیز درست بود. از این پس می‌توانید از خدمات استفاده کنید.
status-rejected-title = احراز هویت تأیید نشد
status-rejected-body = متأسفانه این درخواست پذیرفته نشد. برای دانستن دلیل و راه ادامه، با پشتیبانی تماس بگیرید.
status-checked-at = آخرین بررسی: { $time }
status-auto = وضعیت هر { $seconds } ثانیه به‌طور خودکار بررسی می‌شود.
status-check-now = بررسی وضعیت
reason-photo-blurred = عکس تار بود؛ دستگاه را ثابت نگه دارید.
reason-photo-dark = عکس تاریک بود؛ در جای روشن‌تری عکس بگیرید.
reason-face-not-visible = چهره به‌خوبی دیده نمی‌شد؛ روبه‌روی دوربین و بدون پوشش صورت باشید.
reason-signature-unclear = امضا خوانا نبود؛ روی کاغذ سفید و با خودکار پررنگ امضا کنید.
reason-video-challenge-failed = کاری که در ویدئو خواسته شده بود، درست انجام نشده بود.
reason-document-unreadable = نوشته‌های مدرک خوانا نبود؛ مدرک را کامل و بدون بازتاب نور در کادر بگیرید.
reason-data-mismatch = اطلاعات وارد‌شده با مدارک یکسان نبود؛ آن‌ها را دوباره بررسی کنید.
reason-other = موردی که کارشناس بررسی مشخص کرده است؛ برای جزئیات با پشتیبانی تماس بگیرید.

## خطاها

banner-retry = تلاش دوباره
banner-dismiss = بستن پیام
banner-wait = { $seconds } ثانیه‌ی دیگر دوباره تلاش کنید.
error-invalid_answers = چند مورد نیاز به اصلاح دارد؛ پیام کنار هر مورد را ببینید.
error-code_wrong = کد واردشده درست نیست. { $attempts } بار دیگر می‌توانید امتحان کنید.
error-code_expired = زمان این کد تمام شده است؛ کد تازه بخواهید.
error-code_attempts_exhausted = تعداد تلاش‌ها برای این کد تمام شد؛ کد تازه بخواهید.
error-code_not_sent = هنوز کدی برای این مرحله فرستاده نشده است؛ «ارسال دوباره‌ی کد» را بزنید.
error-rate_limited = درخواست‌ها زیاد بوده است؛ { $seconds } ثانیه صبر کنید و دوباره تلاش کنید.
error-sejam_not_registered = این کد ملی در سجام ثبت‌نام نشده است. اگر ثبت‌نام کرده‌اید، کد ملی را بررسی کنید؛ وگرنه ابتدا در سامانه‌ی سجام ثبت‌نام کنید.
error-sejam_tracking_code_mismatch = کد پیگیری سجام با این کد ملی جور نیست؛ هر دو را دوباره بررسی کنید.
error-answers_missing = بعضی پاسخ‌ها به دست کارگزار نرسید؛ مرحله‌ها را مرور کنید و دوباره بفرستید.
error-session_not_found = جلسه‌ی احراز هویت شما نزد کارگزار پیدا نشد؛ لطفاً از ابتدا شروع کنید.
error-session_closed = این جلسه‌ی احراز هویت بسته شده است و دیگر تغییر نمی‌پذیرد.
error-session_token = اعتبار جلسه‌ی شما تمام شده است؛ لطفاً از ابتدا شروع کنید.
error-already_submitted = این احراز هویت پیش‌تر فرستاده شده است.
error-provider_failed = سامانه‌ی استعلام یا پیامک در دسترس نیست؛ چند دقیقه‌ی دیگر دوباره تلاش کنید.
error-server_failed = سرور احراز هویت با خطا روبه‌رو شد؛ اطلاعات شما محفوظ است، کمی بعد دوباره تلاش کنید.
error-server_garbage = پاسخ سرور قابل خواندن نبود؛ کمی بعد دوباره تلاش کنید.
error-server_too_large = سرور این حجم از داده را نپذیرفت؛ با پشتیبانی تماس بگیرید.
error-timeout = سرور به‌موقع پاسخ نداد؛ اتصال اینترنت را بررسی و دوباره تلاش کنید.
error-network = اتصال به اینترنت برقرار نیست؛ پس از وصل شدن، دوباره تلاش کنید.
error-upload_gave_up = ارسال پس از چند بار تلاش کامل نشد؛ اطلاعات روی دستگاه محفوظ است، دوباره تلاش کنید.
error-outbox_failed = آماده‌سازی اطلاعات برای ارسال روی این دستگاه ممکن نشد؛ دوباره تلاش کنید.
error-storage_failed = ذخیره‌ی اطلاعات روی این دستگاه ممکن نشد؛ فضای خالی دستگاه را بررسی کنید.
error-no_session = احراز هویتی در جریان نیست؛ از صفحه‌ی شروع یکی را انتخاب کنید.
error-not_finished = هنوز چند مرحله مانده است؛ پیش از ارسال آن‌ها را کامل کنید.
error-flow_unknown = این روند احراز هویت شناخته نیست.
error-camera_missing = هیچ دوربینی پیدا نشد. یک دوربین به دستگاه وصل کنید و «تلاش دوباره» را بزنید.
error-camera_busy = برنامه‌ی دیگری از دوربین استفاده می‌کند. برنامه‌هایی مانند تماس تصویری را ببندید و دوباره تلاش کنید.
error-camera_denied = اجازه‌ی استفاده از دوربین داده نشده است. در تنظیمات حریم خصوصی دستگاه، دسترسی این برنامه به دوربین را روشن کنید و دوباره تلاش کنید.
error-camera_failed = دوربین از کار افتاد. اگر دوربین جداست، اتصال آن را بررسی کنید و دوباره تلاش کنید؛ اگر چند دوربین دارید، دوربین دیگری را انتخاب کنید.
error-camera_not_open = دوربین خاموش شده است. «تلاش دوباره» را بزنید تا دوباره روشن شود.
error-no_frame = دوربین روشن شد اما تصویری نفرستاد. اگر دوربین درپوش یا کلید خاموش‌کردن دارد، آن را باز کنید و دوباره تلاش کنید؛ یا دوربین دیگری را انتخاب کنید.
error-microphone_missing = هیچ میکروفونی پیدا نشد. یک میکروفون یا هدست به دستگاه وصل کنید و دوباره تلاش کنید.
error-microphone_busy = برنامه‌ی دیگری از میکروفون استفاده می‌کند. آن برنامه را ببندید و دوباره تلاش کنید.
error-microphone_denied = اجازه‌ی استفاده از میکروفون داده نشده است. در تنظیمات حریم خصوصی دستگاه، دسترسی این برنامه به میکروفون را روشن کنید و دوباره تلاش کنید.
error-microphone_failed = میکروفون از کار افتاد. اتصال آن را بررسی کنید و دوباره تلاش کنید، یا میکروفون دیگری را انتخاب کنید.
error-microphone_silent = در این ویدئو صدایی شنیده نشد. بررسی کنید میکروفون بی‌صدا نباشد، نزدیک‌تر و بلندتر بخوانید و دوباره ضبط کنید.
error-capture_failed = عکس ساخته نشد. دوباره عکس بگیرید؛ اگر باز هم نشد، دوربین دیگری را انتخاب کنید.
error-recording_failed = ضبط ویدئو کامل نشد. دوباره ضبط کنید؛ اگر باز هم نشد، برنامه را ببندید و دوباره باز کنید. اطلاعاتی که تا اینجا ثبت کرده‌اید محفوظ است.
error-recording_running = ضبط هنوز ادامه دارد؛ صبر کنید تا تمام شود یا آن را متوقف کنید.
error-recording_not_started = ضبطی در جریان نیست. برای شروع، دکمهٔ ضبط را بزنید.
error-nothing_to_review = چیزی برای بازبینی نمانده است؛ دوباره عکس بگیرید یا ضبط کنید.
error-unknown = خطای پیش‌بینی‌نشده‌ای رخ داد؛ اطلاعات شما محفوظ است، دوباره تلاش کنید.

## Kiosk mode (a walk-up device in a branch)

kiosk-idle-title = هنوز اینجا هستید؟
kiosk-idle-body = مدتی است کاری انجام نشده است. اگر ادامه ندهید، برای حفظ حریم خصوصی شما همه‌ی اطلاعاتی که در این دستگاه وارد کرده‌اید پاک می‌شود.
kiosk-idle-countdown = پاک شدن تا { $seconds } ثانیه‌ی دیگر
kiosk-idle-continue = بله، ادامه می‌دهم
kiosk-idle-leave = تمام است، پاک کن
kiosk-done-title = کار شما در این دستگاه تمام شد
kiosk-done-body = برای حفظ حریم خصوصی شما، همه‌ی اطلاعاتتان از این دستگاه پاک می‌شود تا نفر بعدی از آن استفاده کند. نتیجه‌ی بررسی را کارگزار به شما خبر می‌دهد.
kiosk-done-countdown = پاک شدن تا { $seconds } ثانیه‌ی دیگر
kiosk-done-now = پایان و پاک کردن
kiosk-resetting = در حال پاک کردن اطلاعات شما…
kiosk-operator = ورود کارمند شعبه
kiosk-operator-title = خروج از حالت کیوسک
kiosk-operator-body = این بخش فقط برای کارمند شعبه است. با رمز کارمند، برنامه پس از پاک کردن همه‌ی اطلاعات بسته می‌شود.
kiosk-operator-pin = رمز کارمند
kiosk-operator-leave = خروج
kiosk-operator-cancel = انصراف
error-kiosk_pin_wrong = رمز درست نیست. { $attempts } بار دیگر می‌توانید امتحان کنید.
error-kiosk_locked_out = رمز چند بار نادرست وارد شد؛ { $seconds } ثانیه صبر کنید و دوباره تلاش کنید.
error-kiosk_off = این دستگاه در حالت کیوسک نیست.
error-kiosk_unavailable = حالت کیوسک درست راه‌اندازی نشده است؛ با پشتیبانی فنی شعبه تماس بگیرید.
## دسترس‌پذیری

# عنوان پنجره: عنوان صفحه‌ی کنونی و سپس نام برنامه (صفحه‌خوان‌ها آن را می‌خوانند).
document-title = { $screen } – { app-name }
code-auto-check = کد همین که کامل شود، خودکار بررسی می‌شود.
# یک دستگاه در فهرست انتخاب: شماره‌اش و نامی که سیستم به آن داده است.
capture-camera-option = دوربین { $index }: { $name }
capture-microphone-option = میکروفون { $index }: { $name }

## Phones

# What iOS shows when it first asks for the camera and the microphone: both languages go
# into src-tauri/Info.ios.plist (Persian, then English), checked by src-tauri/tests/mobile.rs.
os-camera-usage = احراز با دوربین، عکس‌ها و ویدئوی احراز هویت شما را می‌گیرد و هنگام گرفتن آن‌ها راهنمایی‌تان می‌کند. عکس و ویدئو رمزنگاری‌شده روی همین دستگاه می‌ماند تا آن را بفرستید.
os-microphone-usage = احراز با میکروفون، صدای ویدئوی احراز هویت شما را ضبط می‌کند.
