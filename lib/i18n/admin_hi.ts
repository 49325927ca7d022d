/** The administrator's words in Hindi: every key of `admin_en.ts`. */
import type { ADMIN_EN } from "./admin_en.ts";

/** The administrator's Hindi messages. */
export const ADMIN_HI: Readonly<Record<keyof typeof ADMIN_EN, string>> = {
  signin_title: "साइन इन",
  signin_heading: "प्रशासक साइन-इन",
  signin_hint:
    "पासवर्ड वही है जो सर्वर ने चुनाव बनाते समय दिखाया था, या जो उसे दिया गया था ({file} या {env})। भूल गए? सर्वर पर {command} चलाकर नया पासवर्ड बनाएँ।",
  signin_password: "पासवर्ड",
  signin_button: "साइन इन करें",
  signin_wrong: "यह पासवर्ड सही नहीं है।",
  signin_locked: "इस पते से बहुत सारे असफल प्रयास हुए हैं। {wait} बाद फिर कोशिश करें।",
  wait_seconds: "{n} सेकंड",
  wait_minutes: "{n} मिनट",

  admin_title: "प्रशासन",
  admin_heading: "चुनाव प्रशासन",
  admin_nav: "प्रशासन",
  sign_out: "साइन आउट",
  sign_out_everywhere: "हर जगह से साइन आउट",
  search_title: "मतदान रजिस्टर में खोजें",
  search_label: "मतदाता पहचान पत्र संख्या, नाम या पता",
  search_button: "खोजें",
  search_no_more: "और कोई मेल नहीं।",
  search_none: "रजिस्टर में “{search}” से कोई मेल नहीं खाता।",
  next_page: "अगले {count}",
  present_hint: "{link} को बड़ी स्क्रीन पर दिखाएँ: मतदाता उसका QR कोड स्कैन करके मतदान केंद्र तक पहुँचते हैं।",
  present_link: "प्रोजेक्टर दृश्य",
  exports_title: "निर्यात",
  export_result_csv: "नतीजा (CSV)",
  export_result_json: "नतीजा (JSON)",
  export_summary: "सारांश: कुल, स्थिति, विजेता (CSV)",
  export_turnout: "मतदान रजिस्टर (CSV)",
  export_not_voted: "सूची में हैं, अभी वोट नहीं दिया (CSV)",
  audit_title: "ऑडिट लॉग",
  audit_summary: "{count} प्रविष्टियाँ; शीर्ष हैश {hash}। इसे {command} से जाँचें।",
  audit_entry: "{event}, {actor} द्वारा, {address} से",

  admin_turnout: "मतदान",
  admin_votes: "{total} वोट",
  admin_vote: "{total} वोट",
  admin_of_limit: "{limit} में से",
  admin_sealed: "मतदान बंद होने तक गोपनीय",
  admin_progress: "सीमा की ओर प्रगति",
  admin_roll_size: "मतदाता सूची में {voters} मतदाता हैं।",
  admin_roll_share: "मतदाता सूची के {voters} मतदाताओं में से {share}% ने वोट दिया है।",
  admin_open_election:
    "खुला चुनाव: कोई मतदाता सूची नहीं है, इसलिए जो भी मान्य मतदाता पहचान पत्र संख्या बना सकता है, वह वोट दे सकता है।",
  admin_voting_open: "मतदान जारी है।",
  admin_voting_pending: "मतदान अभी शुरू नहीं हुआ है।",
  day_title: "मतदान शुरू होने से पहले",
  day_opens_at: "मतदान {time} पर अपने-आप शुरू होगा।",
  day_opens_by_admin: "मतदान तब शुरू होगा जब आप उसे शुरू करेंगे।",
  day_mock_running: "मॉक पोल चल रहा है:",
  day_mock_count:
    "अब तक {n} वोट। मतदान केंद्र पर MOCK POLL (मॉक पोल) का बैनर दिखता है; ये वोट असली रास्ते से गिने जाते हैं पर चुनाव का हिस्सा नहीं हैं।",
  day_clear_hint:
    "मिटाने से हर मॉक वोट, उसका मतदाता और उसकी रसीद हट जाते हैं, और मॉक पोल का नतीजा ऑडिट लॉग में दर्ज होता है। मॉक पोल मिटने के बाद ही मतदान शुरू हो सकता है।",
  day_clear_button: "मॉक पोल मिटाएँ",
  day_start_hint: "मॉक पोल में मतदान शुरू होने से पहले एजेंट सबके सामने कुछ वोट डालकर गिनती जाँच सकते हैं।",
  day_start_button: "मॉक पोल शुरू करें",
  day_open_button: "मतदान शुरू करें",
  admin_signed_out: "साइन आउट हो गया",
  admin_live: "लाइव",
  admin_reconnecting: "फिर से जुड़ रहे हैं…",
  admin_session_ended: "आपका सत्र समाप्त हो गया है। आगे बढ़ने के लिए {link}।",
  admin_sign_in_again: "फिर से साइन इन करें",
  admin_result: "नतीजा",
  admin_sentence: "{text}।",
  admin_party_votes: "{party}: {votes}",
  close_title: "मतदान समाप्त करें",
  close_confirm:
    "मैं समझता/समझती हूँ कि इससे सभी के लिए मतदान अभी समाप्त हो जाएगा, और इसे वापस नहीं लिया जा सकता।",
  close_button: "मतदान समाप्त करें",
  close_tick: "मतदान अभी समाप्त करने की पुष्टि के लिए बॉक्स पर निशान लगाएँ।",
  close_failed: "मतदान समाप्त नहीं किया जा सका।",
  close_offline: "सर्वर से संपर्क नहीं हो सका; फिर से कोशिश करें।",
  latest_title: "हाल के मतदाता",
  latest_hint:
    "किसने वोट दिया, कभी यह नहीं कि किसे, और कभी यह नहीं कि किस क्रम में: मतदाता उस चरण में दिखते हैं जिसमें उनका वोट प्रकाशित हुआ, नया चरण पहले, हर चरण मतदाता पहचान पत्र संख्या के क्रम में।",
  latest_none:
    "अभी दिखाने को कोई मतदाता नहीं: मतदाता यहाँ तब दिखते हैं जब उनके वोट वाला चरण प्रकाशित होता है।",
  col_step: "चरण",
  col_voter_id: "मतदाता पहचान पत्र संख्या",
  col_name: "नाम",
  col_age: "आयु",
  col_address: "पता",

  not_voted_title: "सूची में हैं, अभी वोट नहीं दिया",
  not_voted_hint: "मतदाता सूची में {voters} मतदाता हैं। मतदाता पहचान पत्र संख्या, नाम या पते से खोजें।",
  not_voted_none: "ऐसा कोई नहीं मिला जिसने वोट न दिया हो।",
  reissue_label: "खोया कोड दोबारा जारी करें: मतदाता पहचान पत्र संख्या",
  reissue_button: "नया कोड",
  reissue_title: "नया मतदान कोड",
  reissue_text:
    "मतदाता पहचान पत्र संख्या {voterId} का नया एक-बार का कोड {code} है। यह केवल अभी दिखाया जा रहा है: इसे मतदाता को सौंपें। उनका पुराना कोड अब काम नहीं करता।",
  reissue_failed: "कोई नया कोड नहीं",
  reissue_voted: "यह मतदाता वोट दे चुका है; उसका कोड बदला नहीं जा सकता।",
  reissue_no_codes: "इस चुनाव में मतदान कोड इस्तेमाल नहीं होते।",
  back_to_panel: "पैनल पर वापस जाएँ",

  present_title: "मतदान में शामिल हों",
  present_scan_vote: "वोट देने के लिए स्कैन करें",
  present_scan_results: "नतीजों के लिए स्कैन करें",
  present_qr: "{url} का QR कोड",
  present_or_open: "या {link} खोलें",
  present_open: "मतदान जारी है",
  present_closed: "मतदान बंद हो गया है",
  present_not_open: "मतदान अभी शुरू नहीं हुआ है",
  present_mock_not_open: "मॉक पोल: मतदान अभी शुरू नहीं हुआ है",
  present_sealed: "मतदान बंद होने तक मतदान के आँकड़े गोपनीय",

  slips_title: "मतदाता पर्चियाँ: {title}",
  slips_print_note: "A4 पर छापें। हर पर्ची में एक-बार का मतदान कोड है: इसे केवल उसी मतदाता को सौंपें।",
  slip_title: "{title}: मतदाता पर्ची",
  slip_voter_id: "मतदाता पहचान पत्र संख्या: {voterId}",
  slip_code: "एक-बार का कोड: {code}",
  slip_vote_at: "{url} पर वोट दें, या कोड स्कैन करें।",
};

/**
 * The audit log's events and actors as the Hindi panel names them. The log
 * keeps its English ids (`deno task audit-verify` and the files show those,
 * and the English panel too); an id not listed here is shown as it is.
 */
export const AUDIT_WORDS_HI: {
  readonly events: Readonly<Record<string, string>>;
  readonly actors: Readonly<Record<string, string>>;
} = {
  events: {
    "start": "सर्वर शुरू",
    "open": "मतदान खुला",
    "close": "मतदान बंद",
    "login": "साइन-इन",
    "login-failed": "असफल साइन-इन",
    "logout": "साइन-आउट",
    "logout-everywhere": "हर जगह से साइन-आउट",
    "admin-password": "प्रशासक पासवर्ड",
    "export": "निर्यात",
    "mock-poll-start": "मॉक पोल शुरू",
    "mock-poll-clear": "मॉक पोल साफ़",
    "recount-mismatch": "पुनर्गणना में अंतर",
    "reissue-code": "कोड फिर से जारी",
    "roll-download": "मतदाता सूची के कोड डाउनलोड",
    "roll-import": "मतदाता सूची आयात",
    "roll-import-refused": "मतदाता सूची आयात अस्वीकार",
    "schedule-held": "तय समय पर खुलना रुका",
  },
  actors: { system: "सिस्टम", admin: "प्रशासक", unknown: "अज्ञात" },
};
