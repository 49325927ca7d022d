/**
 * The words of the roll's import from the admin panel, and of a roll file's
 * problems, in English and Hindi. Kept out of the voters' catalogue
 * (`en.ts`, `hi.ts`), which the booth and dashboard islands bundle: these
 * are only ever rendered on the server, for the administrator.
 */
import { fill, type Locale } from "./format.ts";

const EN = {
  // The import pages (routes/admin_roll_import.tsx).
  roll_import_title: "Import the electoral roll",
  roll_import_open:
    "Open election: there is no electoral roll, so anyone who can compute a valid voter ID can vote.",
  roll_import_link: "Import the electoral roll (CSV)",
  roll_import_intro:
    "Upload the roll as a UTF-8 CSV file with a header row naming voter_id, name and age, and optionally address. Every row is checked first; nothing is stored until you confirm the preview.",
  roll_import_once:
    "A roll is imported once, before the first vote, and never replaced: once it is stored, only the voters on it can vote.",
  roll_import_file: "Roll file (CSV, at most {size})",
  roll_import_codes_legend: "One-time voting codes",
  roll_import_codes_yes: "Give each voter a one-time code, with voter slips to print",
  roll_import_codes_no: "No codes: voters type their name as on the roll",
  roll_import_upload: "Upload and check",
  roll_import_refused_title: "The roll cannot be imported",
  roll_refused_roll_stored: "This election already has an electoral roll; it is never replaced.",
  roll_refused_votes_cast:
    "A vote has been cast, and a roll can be imported only before the first vote. Start a new election with --new-election --roll FILE.csv.",
  roll_refused_voting_closed: "Voting has ended: a roll can no longer be imported.",
  roll_upload_too_large:
    "The file is larger than the upload limit of {size}. Raise the limit with --roll-upload-limit, or load the roll with --roll when the server starts.",
  roll_upload_not_multipart: "Choose the roll's CSV file and send it with the form.",
  roll_upload_no_file: "No file was chosen: choose the roll's CSV file.",
  roll_preview_title: "Check the roll before importing it",
  roll_preview_ok: "{file}: {voters} voters; every row passed the checks.",
  roll_preview_codes:
    "Each voter gets a one-time code. After the import you can download the codes (CSV) and the printable slips, each only once.",
  roll_preview_no_codes: "No codes: each voter types their name as on the roll.",
  roll_preview_sample: "The first voters, as they will be stored",
  roll_confirm: "Import {voters} voters",
  roll_discard: "Cancel",
  roll_problems_title: "The roll was refused",
  roll_problems_intro:
    "{file} has {total} problem(s); nothing was stored. Correct the file and upload it again.",
  roll_problems_more: "… and {more} more.",
  roll_done_title: "The electoral roll is imported",
  roll_done_text: "{voters} voters are on the roll. From now on only they can vote.",
  roll_done_downloads:
    "Download both files now: each can be downloaded only once, and neither is kept past a restart of the server. A lost code is re-issued one voter at a time from the panel.",
  roll_download_codes: "Voting codes (CSV, for mail merge)",
  roll_download_slips: "Voter slips to print (HTML, A4)",
  roll_download_gone:
    "This file was downloaded already, or no longer exists. Re-issue lost codes one voter at a time from the panel.",
  roll_gone: "This upload is no longer waiting for confirmation: upload the roll file again.",
  roll_back: "Back to the panel",
  roll_col_voterId: "Voter ID",
  roll_col_name: "Name",
  roll_col_age: "Age",
  roll_col_address: "Address",
  // A roll file's problems (lib/election/roll_problems.ts), as the command line prints them.
  roll_problem_line: "line {line}: {problems}",
  roll_problem_voter_id_empty: "voter_id is empty",
  roll_problem_voter_id: 'voter_id "{value}" is not an EPIC number with a correct check digit',
  roll_problem_formula: '{column} "{value}" looks like a spreadsheet formula',
  roll_problem_field: "{column}: {message}",
  roll_problem_age: 'age "{value}" is not a whole number from 0 to {max}',
  roll_problem_duplicate: "voter ID {voterId} is already on line {earlier}",
  roll_problem_utf16: "the file is in UTF-16: save it as UTF-8 CSV",
  roll_problem_not_utf8: "the file is not UTF-8 text: save it as UTF-8 CSV",
  roll_problem_nul: "the file is not a CSV text file (it holds NUL bytes)",
  roll_problem_header_twice: "the header row names {columns} twice",
  roll_problem_header_missing:
    'the header row must name the columns voter_id, name and age (and may name address); missing {missing}, found "{found}"',
  roll_problem_csv: "not valid CSV: {detail}",
  roll_problem_empty:
    "the file is empty: it needs a header row voter_id,name,age and one row per voter",
  roll_problem_no_voters: "the roll has a header row but no voters",
  roll_problem_not_file: "{path} is not a file",
  roll_problem_cannot_read: "cannot read {path}: {why}",
  roll_problem_cannot_write: "cannot write {path}: {why}",
} as const;

/** A message of the roll import. */
export type RollWordKey = keyof typeof EN;

/** The same words in Hindi; TypeScript refuses a missing key. */
/** The panel's roll import in Hindi (exported for the catalogue checks). */
export const HI: Readonly<Record<RollWordKey, string>> = {
  roll_import_title: "मतदाता सूची आयात करें",
  roll_import_open:
    "खुला चुनाव: कोई मतदाता सूची नहीं है, इसलिए जो कोई भी मान्य मतदाता पहचान पत्र संख्या बना सकता है, वह वोट दे सकता है।",
  roll_import_link: "मतदाता सूची आयात करें (CSV)",
  roll_import_intro:
    "सूची को UTF-8 CSV फ़ाइल के रूप में अपलोड करें, जिसकी पहली पंक्ति में voter_id, name और age (और चाहें तो address) कॉलम हों। पहले हर पंक्ति जाँची जाती है; पूर्वावलोकन की पुष्टि करने तक कुछ भी सहेजा नहीं जाता।",
  roll_import_once:
    "सूची केवल एक बार, पहले वोट से पहले, आयात होती है और कभी बदली नहीं जाती: सहेजे जाने के बाद केवल उसमें दर्ज मतदाता ही वोट दे सकते हैं।",
  roll_import_file: "सूची की फ़ाइल (CSV, अधिकतम {size})",
  roll_import_codes_legend: "एक-बार के मतदान कोड",
  roll_import_codes_yes: "हर मतदाता को एक-बार का कोड दें, छापने के लिए मतदाता पर्चियों के साथ",
  roll_import_codes_no: "कोई कोड नहीं: मतदाता सूची में लिखा अपना नाम लिखेंगे",
  roll_import_upload: "अपलोड करें और जाँचें",
  roll_import_refused_title: "सूची आयात नहीं की जा सकती",
  roll_refused_roll_stored: "इस चुनाव की मतदाता सूची पहले से है; वह कभी बदली नहीं जाती।",
  roll_refused_votes_cast:
    "एक वोट डाला जा चुका है, और सूची केवल पहले वोट से पहले आयात हो सकती है। --new-election --roll FILE.csv से नया चुनाव शुरू करें।",
  roll_refused_voting_closed: "मतदान समाप्त हो गया है: अब सूची आयात नहीं की जा सकती।",
  roll_upload_too_large:
    "फ़ाइल अपलोड की सीमा {size} से बड़ी है। --roll-upload-limit से सीमा बढ़ाएँ, या सर्वर शुरू करते समय --roll से सूची लोड करें।",
  roll_upload_not_multipart: "सूची की CSV फ़ाइल चुनें और उसे फ़ॉर्म से भेजें।",
  roll_upload_no_file: "कोई फ़ाइल नहीं चुनी गई: सूची की CSV फ़ाइल चुनें।",
  roll_preview_title: "आयात से पहले सूची जाँचें",
  roll_preview_ok: "{file}: {voters} मतदाता; हर पंक्ति जाँच में सही निकली।",
  roll_preview_codes:
    "हर मतदाता को एक-बार का कोड मिलेगा। आयात के बाद आप कोड (CSV) और छापने योग्य पर्चियाँ डाउनलोड कर सकते हैं, हर एक केवल एक बार।",
  roll_preview_no_codes: "कोई कोड नहीं: हर मतदाता सूची में लिखा अपना नाम लिखेगा।",
  roll_preview_sample: "पहले कुछ मतदाता, जैसे वे सहेजे जाएँगे",
  roll_confirm: "{voters} मतदाता आयात करें",
  roll_discard: "रद्द करें",
  roll_problems_title: "सूची अस्वीकार कर दी गई",
  roll_problems_intro:
    "{file} में {total} समस्या(एँ) हैं; कुछ भी सहेजा नहीं गया। फ़ाइल ठीक करके फिर से अपलोड करें।",
  roll_problems_more: "… और {more} और।",
  roll_done_title: "मतदाता सूची आयात हो गई",
  roll_done_text: "सूची में {voters} मतदाता हैं। अब से केवल वही वोट दे सकते हैं।",
  roll_done_downloads:
    "दोनों फ़ाइलें अभी डाउनलोड करें: हर एक केवल एक बार डाउनलोड हो सकती है, और सर्वर दोबारा शुरू होने पर कोई नहीं रखी जाती। खोया कोड पैनल से एक-एक मतदाता के लिए फिर से जारी किया जाता है।",
  roll_download_codes: "मतदान कोड (CSV, मेल मर्ज के लिए)",
  roll_download_slips: "छापने के लिए मतदाता पर्चियाँ (HTML, A4)",
  roll_download_gone:
    "यह फ़ाइल पहले ही डाउनलोड हो चुकी है, या अब मौजूद नहीं है। खोए कोड पैनल से एक-एक मतदाता के लिए फिर से जारी करें।",
  roll_gone: "यह अपलोड अब पुष्टि की प्रतीक्षा में नहीं है: सूची की फ़ाइल फिर से अपलोड करें।",
  roll_back: "पैनल पर लौटें",
  roll_col_voterId: "मतदाता पहचान पत्र संख्या",
  roll_col_name: "नाम",
  roll_col_age: "आयु",
  roll_col_address: "पता",
  roll_problem_line: "पंक्ति {line}: {problems}",
  roll_problem_voter_id_empty: "voter_id खाली है",
  roll_problem_voter_id: 'voter_id "{value}" सही जाँच अंक वाली EPIC संख्या नहीं है',
  roll_problem_formula: '{column} "{value}" स्प्रेडशीट फ़ॉर्मूले जैसा दिखता है',
  roll_problem_field: "{column}: {message}",
  roll_problem_age: 'age "{value}" ० से {max} तक की पूर्ण संख्या नहीं है',
  roll_problem_duplicate: "मतदाता पहचान पत्र संख्या {voterId} पंक्ति {earlier} पर पहले से है",
  roll_problem_utf16: "फ़ाइल UTF-16 में है: इसे UTF-8 CSV के रूप में सहेजें",
  roll_problem_not_utf8: "फ़ाइल UTF-8 पाठ नहीं है: इसे UTF-8 CSV के रूप में सहेजें",
  roll_problem_nul: "फ़ाइल CSV पाठ फ़ाइल नहीं है (इसमें NUL बाइट हैं)",
  roll_problem_header_twice: "शीर्ष पंक्ति में {columns} दो बार है",
  roll_problem_header_missing:
    'शीर्ष पंक्ति में voter_id, name और age कॉलम होने चाहिए (और address हो सकता है); {missing} नहीं है, मिला "{found}"',
  roll_problem_csv: "मान्य CSV नहीं है: {detail}",
  roll_problem_empty:
    "फ़ाइल खाली है: इसमें voter_id,name,age वाली शीर्ष पंक्ति और हर मतदाता की एक पंक्ति चाहिए",
  roll_problem_no_voters: "सूची में शीर्ष पंक्ति है पर कोई मतदाता नहीं",
  roll_problem_not_file: "{path} फ़ाइल नहीं है",
  roll_problem_cannot_read: "{path} पढ़ी नहीं जा सकी: {why}",
  roll_problem_cannot_write: "{path} लिखी नहीं जा सकी: {why}",
};

/**
 * One message of the roll import in a language, its placeholders filled.
 *
 * @param locale The reader's language.
 * @param key The message.
 * @param params The placeholders' values.
 * @returns The text to show.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollText } from "./roll_words.ts";
 * assert.equal(rollText("en", "roll_confirm", { voters: 3 }), "Import 3 voters");
 * assert.equal(rollText("hi", "roll_discard"), "रद्द करें");
 * ```
 */
export function rollText(
  locale: Locale,
  key: RollWordKey,
  params?: Record<string, string | number>,
): string {
  return fill(locale, (locale === "hi" ? HI : EN)[key], params);
}
