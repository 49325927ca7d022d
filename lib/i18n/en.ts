/**
 * The interface's words in English. This catalogue defines the keys; every
 * other language's catalogue (`hi.ts`) must have each of them, and
 * `catalogue.ts` looks messages up. Kept apart so the booth island, which
 * checks input with English as its fallback, never bundles Hindi.
 */

import { messages } from "../election/errors.ts";

/** The English catalogue, which defines the keys. */
export const EN = {
  // The chrome of every page.
  brand: "Matdaan",
  nav_vote: "Vote",
  nav_results: "Results",
  nav_check: "Check a receipt",
  nav_label: "Main",
  skip_link: "Skip to main content",
  footer: "Matdaan · one voter, one vote · the ballot is secret",
  audit_head: "Audit log head (entry {seq}): {hash}. Keep it: a rewritten log will not lead to it.",
  language_label: "Language",
  error_title: "Error: {title}",

  // The booth.
  booth_title: "Voting booth",
  booth_heading: "Cast your vote",
  booth_intro:
    "Fill in your details, then press the button of the party you choose. You will see your choice once more before it is cast. One voter, one vote.",
  details_legend: "1. Your details",
  label_name: "Full name",
  label_age: "Age in years",
  label_address: "Address",
  label_voterId: "Voter ID (EPIC number)",
  hint_voterId: "Three letters and seven digits, as on your voter card, e.g. WKH1186253.",
  choice_legend: "2. Press the button of your choice",
  vote_for: "Vote for {party}",
  symbol_alt: "Symbol of {party}: {symbol}",
  symbol_plain: "Symbol of {party}",
  error_summary: "There is a problem",
  sending: "Sending your vote…",
  network: "The vote could not be sent. Check your connection and try again.",

  // The confirm step.
  confirm_title: "Confirm your vote",
  confirm_heading: "Is this your choice?",
  confirm_text: "You are about to vote for {party}. Nothing is cast until you press Confirm vote.",
  confirm_button: "Confirm vote",
  change_button: "Change",

  // The slip and the receipt.
  slip_heading: "Your vote is counted",
  slip_party: "You voted for {party}.",
  receipt_label: "Your receipt code",
  receipt_hint:
    "Keep it to check later that your ballot was counted. The code does not reveal your choice.",
  kiosk_next: "This booth gets ready for the next voter in a few seconds.",
  copy: "Copy code",
  copied: "Copied",
  print: "Print",
  receipt_title: "Your receipt",
  receipt_counted: "The ballot with this receipt code is counted.",
  results_link: "See the live results",
  check_link: "Check a receipt",

  // The check page.
  check_title: "Check a receipt",
  check_intro:
    "Enter the receipt code you were given after voting to learn whether that ballot was counted. It never says how anyone voted.",
  check_label: "Receipt code",
  check_hint: "Twelve letters and digits, e.g. K7QH-2M9D-X4TP.",
  check_button: "Check",
  check_counted: "Counted: the ballot with receipt {code} is in the count.",
  check_not_found:
    "No ballot has the receipt {code}. Check every character; the code has no letters I, L, O or U.",
  check_malformed: "A receipt code has twelve letters and digits, such as K7QH-2M9D-X4TP.",

  // The closed booth and the result.
  closed_heading: "Voting has ended",
  closed_text: "Thank you for taking part. No more votes are accepted.",
  closed_results: "See the full result on the dashboard",
  downloads_label: "Download the result:",
  download_csv: "table (CSV)",
  download_json: "data (JSON)",
  download_summary: "totals and winner (CSV)",
  result_winner: "{party} wins",
  result_tie: "A tie between {parties}",
  result_none: "No winner: no party received a vote",
  result_no_winner: "No winner",
  result_only_nota: "No winner: only NOTA received votes",
  closed_limit_one: "Voting closed at the limit of 1 vote.",
  final_results_title: "Final results",
  connection_final: "Final result",
  result_nota: "{nota} is counted but cannot win.",
  closed_limit: "Voting closed at the limit of {limit} votes.",
  closed_admin: "Voting was closed by the administrator.",
  closed_schedule: "Voting closed at the set closing time.",

  // Before the opening, and the mock poll.
  not_open_heading: "Voting has not opened yet",
  opens_at_text: "Voting opens at {time}.",
  opens_by_admin_text: "Voting opens when the polling officer opens it. Please wait.",
  closes_at_text: "Voting closes at {time}.",
  voting_not_open_at: "Voting has not opened yet: it opens at {time}.",
  mock_banner:
    "MOCK POLL: this is a test before voting opens. Votes cast now are counted to check the booth, then cleared; they are not part of the election.",
  status_not_open: "Not open yet",
  status_mock: "Mock poll",
  mock_results_title: "Mock poll results",
  list_and: "{a} and {b}",

  // The dashboard.
  results_title: "Live results",
  status_open: "Voting open",
  status_closed: "Voting closed",
  connection_static: "Snapshot (reload to update)",
  connection_connecting: "Connecting…",
  connection_live: "Live",
  connection_offline: "Reconnecting…",
  last_update: "Last update",
  turnout: "Turnout",
  unit_vote: "vote",
  unit_votes: "votes",
  share_percent: "{share}%",
  of_limit: "of {limit}",
  no_limit: "No vote limit is set.",
  limit_share: "{share}% of the limit reached",
  roll_turnout: "{share}% of the {voters} voters on the electoral roll",
  publication_live_first:
    "Results are published in steps of at least {size} votes, so that no vote can be traced to a voter. The first update comes within the next {size} votes; the full result when voting closes.",
  publication_live_next:
    "Results are published in steps of at least {size} votes, so that no vote can be traced to a voter. The next update comes within the next {size} votes; the full result when voting closes.",
  publication_turnout:
    "Party results are published when voting closes; until then only the turnout is shown.",
  publication_sealed: "Results and turnout are published when voting closes.",
  turnout_sealed: "Sealed until voting closes",
  votes_sealed: "Published when voting closes.",
  booth_intro_roll:
    "Enter your name as on the electoral roll and your voter ID, then press the button of the party you choose. You will see your choice once more before it is cast. One voter, one vote.",
  booth_intro_codes:
    "Enter your voter ID and the one-time code from your voter slip, then press the button of the party you choose. You will see your choice once more before it is cast. One voter, one vote.",
  label_code: "One-time voting code",
  hint_code: "Ten letters and digits, as on your voter slip, e.g. 7KQ2M-X4TPH.",
  chart_title: "Votes by party",

  // The page that is not there.
  not_found_title: "Page not found",
  not_found_text: "There is nothing at this address. It may have been typed wrongly.",
  not_found_home: "Go to the voting booth",
  busy_title: "Too many requests",
  busy_text:
    "This device, or another sharing its internet address, asked for pages faster than the server answers one address. Nothing you sent was recorded.",
  busy_wait: "Wait {seconds} s, then reload the page.",
  too_large_text:
    "A name, age, address and voter ID fit easily; something much longer was sent, and nothing was recorded. Go back to the booth and type your details again.",
  method_not_allowed_title: "This address does not take that request",
  method_not_allowed_text:
    "This address is reached through a button or a link on another page, not this way. Go back to that page and use it there.",

  // Field errors (the schema's messages are these keys).
  name_required: "Please enter your full name.",
  name_too_long: "A name can be at most {max} characters long.",
  name_chars: "A name may contain only letters, spaces, dots, apostrophes and hyphens.",
  name_broken: "The name contains characters that cannot be shown; please type it again.",
  age_required: "Please enter your age in years.",
  age_number: "Write your age as a whole number of years, such as 34.",
  age_max: "Please check your age: it must be at most {max}.",
  address_required: "Please enter your address.",
  address_too_long: "An address can be at most {max} characters long.",
  address_broken: "The address contains characters that cannot be shown; please type it again.",
  voterId_required: "Please enter your voter ID.",
  voterId_too_long: "A voter ID is three letters and seven digits; this one is too long.",
  voterId_chars: "A voter ID has only the letters A to Z and digits, like WKH1186253.",
  voterId_epic:
    "This voter ID is not valid. It is three letters and seven digits, like WKH1186253; check each digit.",
  party_required: "Press the button of the party you choose.",
  form_invalid: "The vote must be an object with name, age, address, voterId and party.",
  form_invalid_roll: "The vote must be an object with name, voterId and party.",
  form_invalid_codes: "The vote must be an object with voterId, code and party.",
  code_required: "Please enter the one-time code from your voter slip, like 7KQ2M-X4TPH.",
  name_throttled:
    "Too many names that are not on the roll for this voter ID from here; please wait before trying again.",
  code_throttled:
    "Too many wrong codes for this voter ID from here; please wait before trying again.",
  phase_invalid:
    'The booth\'s phase can only be "mock" (or left out). Please reload the booth and vote again.',

  // Errors by code.
  // The election's own, worded once in the domain's table.
  ...messages,
  payload_too_large: "The request is too large.",
  unsupported_media_type: "This kind of content is not accepted here.",
  not_found: "There is nothing at this address.",
  unauthorized: "Please sign in as the administrator first.",
  forbidden: "This request was refused.",
  bad_request: "The request could not be understood.",
  method_not_allowed: "This address does not take that kind of request.",
  conflict: "The request conflicts with the current state; try again.",
  internal: "Something went wrong on our side.",
  too_many_requests: "Too many requests; wait a moment and try again.",
  http_error: "The request was refused.",

  // The specific reasons the routes give for an error of the HTTP layer.
  cross_site: "This request came from another site and was refused.",
  send_json: "Send the vote as JSON (Content-Type: application/json).",
  body_not_json: "The request body is not valid JSON.",
  receipt_not_found: "No ballot has this receipt code.",
  result_not_yet: "The result can be downloaded once voting has closed.",
  too_many_sockets: "Too many live connections from this address.",
  websocket_only: "This address is a WebSocket.",
  websocket_invalid: "This is not a valid WebSocket request.",
} as const;

/** A message's key. */
export type MessageKey = keyof typeof EN;

/** A catalogue: every key's message in one language. */
export type Catalogue = Readonly<Record<MessageKey, string>>;

/**
 * The whole English catalogue with its language, as the ballot checks take
 * it (`BallotWords`). Server-side: an island is sent only the words it
 * needs, so its bundle carries no catalogue.
 */
export const ENGLISH: { readonly locale: "en"; readonly messages: Catalogue } = {
  locale: "en",
  messages: EN,
};
