"""Dates as Europeans read them, day first, with no month number to misread ("7 Dec 2026",
not "12/07/2026"; a time in 24 hours): for the admin, and for any date shown without a
format of its own."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
