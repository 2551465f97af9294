# پیام‌های ابزار خط فرمان ehraz-check.

check-usage =
    ehraz-check: بررسی فیلدهای هویتی، همان‌گونه که برنامه‌ی احراز بررسی می‌کند.

    کاربرد:
      ehraz-check [--lang fa|en] <نوع> <مقدار>   یک مقدار را بررسی می‌کند
      ehraz-check [--lang fa|en] flow <نام>       مرحله‌های یک روند را فهرست می‌کند
      ehraz-check [--lang fa|en]                  هر سطر ورودی را به شکل «نوع مقدار» بررسی می‌کند

    نوع‌ها: { $kinds }
    روندها: { $flows }
check-valid = ✓ درست است: { $value }
check-operator = اپراتور: { $operator }
check-invalid = ✗ { $reason }
check-unknown-kind = نوع «{ $kind }» شناخته نیست. نوع‌ها: { $kinds }
check-unknown-flow = روند «{ $flow }» شناخته نیست. روندها: { $flows }
check-bad-arguments = ورودی‌های خط فرمان درست نیست: { $detail }
check-prompt = نوع و مقدار را بنویسید (مثلاً «national-code ۰۴۹۹۳۷۰۸۹۹»)؛ برای پایان، Ctrl+D.
check-flow-heading = روند { $flow }، نسخه‌ی { $version }:
check-flow-step = { $number }. { $title }
check-flow-branch = (فقط وقتی «{ $field }» برابر «{ $option }» باشد)
