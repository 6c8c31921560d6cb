#!/usr/bin/env python3
"""Writes the four export test files of this folder (see README.md for the documentation each
follows). Run from this folder: python3 make_exports.py. The files are committed; this script
says exactly how their bytes were made (encodings, delimiters, line endings)."""

# 1. Qualtrics "Data Table" export as TSV: tab-separated, UTF-16 little-endian with a BOM,
#    three header rows (field IDs, question text, import IDs), CRLF line endings.
q_names = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
           "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
           "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
           "Q1", "Q2", "Q3_1", "Q3_2", "Q4", "Q5"]
q_text = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished",
          "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name", "Recipient Email",
          "External Data Reference", "Location Latitude", "Location Longitude", "Distribution Channel",
          "User Language", "Participant code", "What is your first name?",
          "How much do you agree? - I felt welcome", "How much do you agree? - I would recommend the group",
          "Did you seek help in the last month?", "Anything else you would like to tell us?"]
q_import = ['{"ImportId":"startDate","timeZone":"America/Denver"}', '{"ImportId":"endDate","timeZone":"America/Denver"}',
            '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
            '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"America/Denver"}', '{"ImportId":"_recordId"}',
            '{"ImportId":"recipientLastName"}', '{"ImportId":"recipientFirstName"}', '{"ImportId":"recipientEmail"}',
            '{"ImportId":"externalDataReference"}', '{"ImportId":"locationLatitude"}', '{"ImportId":"locationLongitude"}',
            '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}', '{"ImportId":"QID1_TEXT"}',
            '{"ImportId":"QID2_TEXT"}', '{"ImportId":"QID3_1"}', '{"ImportId":"QID3_2"}', '{"ImportId":"QID4"}',
            '{"ImportId":"QID5_TEXT"}']
q_rows = [
    # A preview (left out), then six participants.
    ["2024-03-01 09:00:00", "2024-03-01 09:02:10", "Survey Preview", "", "100", "130", "True", "2024-03-01 09:02:11",
     "R_0preview", "", "", "", "", "", "", "preview", "EN", "TEST", "Tester", "Strongly agree", "Strongly agree", "Yes", ""],
    ["2024-03-04 10:15:00", "2024-03-04 10:20:12", "IP Address", "203.0.113.10", "100", "312", "True",
     "2024-03-04 10:20:13", "R_1a2B3c", "", "", "", "", "40.7128", "-74.0060", "anonymous", "EN", "P01", "Ana",
     "Strongly agree", "Somewhat agree", "Yes", "Très bien, merci pour tout le groupe"],
    ["2024-03-04 11:01:00", "2024-03-04 11:09:40", "IP Address", "203.0.113.11", "100", "520", "True",
     "2024-03-04 11:09:41", "R_4d5E6f", "", "", "", "", "40.7306", "-73.9352", "anonymous", "EN", "P02", "Benoît",
     "Somewhat agree", "Neither agree nor disagree", "No", ""],
    ["2024-03-05 08:30:00", "2024-03-05 08:33:05", "IP Address", "203.0.113.12", "100", "185", "True",
     "2024-03-05 08:33:06", "R_7g8H9i", "", "", "", "", "40.6782", "-73.9442", "anonymous", "ES", "P03", "Chloé",
     "Strongly disagree", "Somewhat disagree", "No", "Müde – aber zufrieden mit dem Kurs"],
    ["2024-03-05 14:12:00", "2024-03-05 14:19:30", "IP Address", "203.0.113.13", "100", "450", "True",
     "2024-03-05 14:19:31", "R_0j1K2l", "", "", "", "", "40.7589", "-73.9851", "anonymous", "EN", "P04", "Dev",
     "Somewhat agree", "Strongly agree", "Yes", ""],
    ["2024-03-06 16:45:00", "2024-03-06 16:49:59", "IP Address", "203.0.113.14", "100", "299", "True",
     "2024-03-06 16:50:00", "R_3m4N5o", "", "", "", "", "40.7831", "-73.9712", "anonymous", "EN", "P05", "Fatima",
     "Neither agree nor disagree", "Somewhat agree", "No", "It helped me talk about things"],
    ["2024-03-07 12:00:00", "2024-03-07 12:06:40", "IP Address", "203.0.113.15", "100", "400", "True",
     "2024-03-07 12:06:41", "R_6p7Q8r", "", "", "", "", "40.6892", "-74.0445", "anonymous", "EN", "P06", "Grace",
     "Strongly agree", "Strongly agree", "Yes", ""],
]
lines = ["\t".join(r) for r in [q_names, q_text, q_import] + q_rows]
with open("qualtrics_tab_utf16.tsv", "wb") as f:
    f.write(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))

# 2. Legacy Qualtrics export (CSV, UTF-8): row 1 V1…V10 and the question IDs, row 2 the
#    metadata names and the question text. Status 0 = a response, 1 = a preview.
leg = [
    ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q1", "Q2_1", "Q2_2", "Q3", "Q4"],
    ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress", "Status",
     "StartDate", "EndDate", "Finished", "Participant code",
     "How much do you agree with each statement?-I felt welcome",
     "How much do you agree with each statement?-I would recommend the group",
     "Did you seek help in the last month?", "How old are you?"],
    ["R_9XyZ1", "Default Response Set", "Anonymous", "", "", "198.51.100.4", "1", "2014-05-01 09:00:00",
     "2014-05-01 09:01:00", "1", "TEST", "5", "5", "Yes", "99"],
    ["R_1AbC2", "Default Response Set", "Anonymous", "", "", "198.51.100.20", "0", "2014-05-02 10:00:00",
     "2014-05-02 10:07:00", "1", "S01", "4", "5", "Yes", "34"],
    ["R_3DeF4", "Default Response Set", "Anonymous", "", "", "198.51.100.21", "0", "2014-05-02 11:00:00",
     "2014-05-02 11:05:00", "1", "S02", "2", "3", "No", "27"],
    ["R_5GhI6", "Default Response Set", "Anonymous", "", "", "198.51.100.22", "0", "2014-05-03 12:00:00",
     "2014-05-03 12:09:00", "1", "S03", "5", "4", "No", "45"],
    ["R_7JkL8", "Default Response Set", "Anonymous", "", "", "198.51.100.23", "0", "2014-05-04 13:00:00",
     "2014-05-04 13:03:00", "0", "S04", "3", "", "Yes", ""],
]
def csv_line(r):
    return ",".join('"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\n') else c for c in r)
with open("qualtrics_legacy.csv", "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join(csv_line(r) for r in leg) + "\r\n")

# 3. A full SurveyMonkey export (CSV, "All responses", expanded): row 1 the metadata columns
#    and the question text (once above a matrix question), row 2 "Response", "Open-Ended
#    Response" or the matrix rows; blank under the metadata columns.
sm = [
    ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
     "Last Name", "Custom Data 1", "Which group were you in?", "How much do you agree with each statement?", "", "",
     "Did you seek help in the last month?", "Anything else you would like to tell us?"],
    ["", "", "", "", "", "", "", "", "", "Response", "I felt welcome", "I would recommend the group",
     "I learnt something new", "Response", "Open-Ended Response"],
    ["11402788811", "256771410", "03/04/2024 10:15:22 AM", "03/04/2024 10:21:40 AM", "192.0.2.15",
     "ana.silva@example.org", "Ana", "Silva", "site A", "Intervention", "Strongly agree", "Agree", "Agree", "Yes",
     "Thank you"],
    ["11402791205", "256771410", "03/04/2024 11:02:09 AM", "03/04/2024 11:10:51 AM", "192.0.2.16",
     "ben.okafor@example.org", "Ben", "Okafor", "site A", "Control", "Disagree", "Neither agree nor disagree",
     "Agree", "No", ""],
    ["11402795530", "256771411", "03/05/2024 09:45:00 AM", "03/05/2024 09:52:13 AM", "192.0.2.17",
     "chloe.martin@example.org", "Chloé", "Martin", "site B", "Intervention", "Agree", "Strongly agree",
     "Strongly agree", "Yes", "Good, but too short"],
    ["11402799874", "256771411", "03/05/2024 02:30:41 PM", "03/05/2024 02:36:02 PM", "192.0.2.18",
     "dev.patel@example.org", "Dev", "Patel", "site B", "Control", "Neither agree nor disagree", "Disagree",
     "Strongly disagree", "No", ""],
    ["11402803316", "256771410", "03/06/2024 04:12:19 PM", "03/06/2024 04:19:55 PM", "192.0.2.19",
     "eve.nowak@example.org", "Eve", "Nowak", "site A", "Intervention", "Strongly agree", "Strongly agree", "Agree",
     "Yes", ""],
]
with open("surveymonkey_full.csv", "w", encoding="utf-8", newline="") as f:
    f.write("\r\n".join(csv_line(r) for r in sm) + "\r\n")

# 4. Excel "CSV (semicolon-separated)" saved with German regional settings: Windows-1252, no
#    BOM, CRLF; numbers as displayed, with thousands points and decimal commas.
ex = [
    ["id", "gruppe", "alter", "einkommen", "stunden", "kosten", "kommentar"],
    ["1", "Intervention", "34", "1.234,50", "1,5", "12.345,00", "schön und sehr hilfreich gewesen"],
    ["2", "Kontrolle", "27", "980,00", "2", "8.900,50", "zu kurz, leider nur zwei Treffen"],
    ["3", "Intervention", "45", "12.500,75", "0,5", "1.050,25", ""],
    ["4", "Kontrolle", "51", "2.100,00", "3,25", "980,00", "gut gemacht, danke an alle"],
    ["5", "Intervention", "38", "-1.500,00", "1", "2.000.000,00", "Grüße an die ganze Gruppe"],
]
with open("excel_semicolon_thousands.csv", "wb") as f:
    f.write(("\r\n".join(";".join(r) for r in ex) + "\r\n").encode("cp1252"))
