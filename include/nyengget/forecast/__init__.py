"""Expected windows of recurring programmes ("perkiraan"), from the rounds of earlier years.

`rounds` collects dated rounds (programme versions, news if the table exists, the curated calendar),
`families` says which rounds belong together, `model` predicts a year's window from earlier ones,
`windows` gives every programme of the warehouse its real or expected window as of a date.
"""
