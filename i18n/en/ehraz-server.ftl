# Messages the Ehraz reference server sends to people.

sms-one-time-code = Your Ehraz verification code: { $code }
    Do not share this code with anyone.
