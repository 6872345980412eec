# Indonesian civil-service formats: "4 Januari 2023", "13.05", "Rabu, 4 Januari 2023", 1.234.
# Django's own `id` formats abbreviate the month ("4 Jan 2023"); letters and registers write it in full.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
LONG_DATE_FORMAT = "l, j F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
