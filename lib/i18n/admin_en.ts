/**
 * The administrator's words in English: sign-in, panel, audit list,
 * re-issued codes, the projector view and the printed voter slips. Kept
 * apart from the voter's words (`catalogue.ts` serves both) so the two grow
 * without stepping on each other, and the booth's bundle never carries
 * them; `admin_hi.ts` must have every key.
 */

/** The administrator's English messages. */
export const ADMIN_EN = {
  // Sign-in.
  signin_title: "Sign in",
  signin_heading: "Administrator sign-in",
  signin_hint:
    "The password is the one the server printed when the election was created, or the one it was given ({file} or {env}). Lost it? {command} on the server makes a new one.",
  signin_password: "Password",
  signin_button: "Sign in",
  signin_wrong: "That password is not right.",
  signin_locked: "Too many failed attempts from this address. Try again in {wait}.",
  wait_seconds: "{n} second(s)",
  wait_minutes: "{n} minute(s)",

  // The panel.
  admin_title: "Administration",
  admin_heading: "Election administration",
  admin_nav: "Admin",
  sign_out: "Sign out",
  sign_out_everywhere: "Sign out everywhere",
  search_title: "Search the turnout register",
  search_label: "Voter ID, name or address",
  search_button: "Search",
  search_no_more: "No more matches.",
  search_none: "No one in the register matches “{search}”.",
  next_page: "Next {count}",
  present_hint: "Put the {link} on a big screen: voters scan its QR code to reach the booth.",
  present_link: "projector view",
  exports_title: "Exports",
  export_result_csv: "Result (CSV)",
  export_result_json: "Result (JSON)",
  export_summary: "Summary: totals, status, winner (CSV)",
  export_turnout: "Turnout register (CSV)",
  export_not_voted: "On the roll, not voted yet (CSV)",
  audit_title: "Audit log",
  audit_summary: "{count} entries; head hash {hash}. Check it with {command}.",
  audit_entry: "{event} by {actor} from {address}",

  // The live panel.
  admin_turnout: "Turnout",
  admin_votes: "{total} votes",
  admin_vote: "{total} vote",
  admin_of_limit: "of {limit}",
  admin_sealed: "Sealed until voting closes",
  admin_progress: "Progress towards the limit",
  admin_roll_size: "{voters} voters are on the electoral roll.",
  admin_roll_share: "{share}% of the {voters} voters on the electoral roll have voted.",
  admin_open_election:
    "Open election: there is no electoral roll, so anyone who can compute a valid voter ID can vote.",
  admin_voting_open: "Voting is open.",
  admin_voting_pending: "Voting has not opened yet.",
  day_title: "Before voting opens",
  day_opens_at: "Voting opens by itself at {time}.",
  day_opens_by_admin: "Voting opens when you open it.",
  day_mock_running: "Mock poll running:",
  day_mock_count:
    "{n} vote(s) so far. The booth shows a MOCK POLL banner; these votes are counted through the real path and are not part of the election.",
  day_clear_hint:
    "Clearing removes every mock vote, its voter and its receipt, and records the mock result in the audit log. Voting can open only once the mock poll is cleared.",
  day_clear_button: "Clear mock poll",
  day_start_hint:
    "A mock poll lets agents cast a few votes in front of everyone and check the count before voting opens.",
  day_start_button: "Start mock poll",
  day_open_button: "Open voting",
  admin_signed_out: "Signed out",
  admin_live: "Live",
  admin_reconnecting: "Reconnecting…",
  admin_session_ended: "Your session has ended. {link} to go on.",
  admin_sign_in_again: "Sign in again",
  admin_result: "Result",
  admin_sentence: "{text}.",
  admin_party_votes: "{party}: {votes}",
  close_title: "End voting",
  close_confirm: "I understand that this ends voting for everyone, now, and cannot be undone.",
  close_button: "End voting",
  close_tick: "Tick the box to confirm that voting should end now.",
  close_failed: "Voting could not be ended.",
  close_offline: "The server could not be reached; try again.",
  latest_title: "Latest voters",
  latest_hint:
    "Who voted, never how, and never in what order: voters appear in the step their vote was published in, newest step first, each step by voter ID.",
  latest_none:
    "No voter to show yet: voters appear here once the step that holds their vote is published.",
  col_step: "Step",
  col_voter_id: "Voter ID",
  col_name: "Name",
  col_age: "Age",
  col_address: "Address",

  // The roll in the panel, and re-issued codes.
  not_voted_title: "On the roll, not voted yet",
  not_voted_hint: "The electoral roll has {voters} voters. Search by voter ID, name or address.",
  not_voted_none: "Nobody found who has not voted.",
  reissue_label: "Re-issue a lost code: voter ID",
  reissue_button: "New code",
  reissue_title: "New voting code",
  reissue_text:
    "The new one-time code for voter ID {voterId} is {code}. It is shown only now: hand it to the voter. Their old code no longer works.",
  reissue_failed: "No new code",
  reissue_voted: "This voter has already voted; their code cannot be replaced.",
  reissue_no_codes: "This election does not use voting codes.",
  back_to_panel: "Back to the panel",

  // The projector view.
  present_title: "Join the vote",
  present_scan_vote: "Scan to vote",
  present_scan_results: "Scan for the results",
  present_qr: "QR code of {url}",
  present_or_open: "or open {link}",
  present_open: "Voting is open",
  present_closed: "Voting has closed",
  present_not_open: "Voting has not opened yet",
  present_mock_not_open: "Mock poll: voting has not opened yet",
  present_sealed: "Turnout sealed until voting closes",

  // The printed voter slips.
  slips_title: "Voter slips: {title}",
  slips_print_note:
    "Print on A4. Each slip holds a one-time voting code: hand it only to its voter.",
  slip_title: "{title}: voter slip",
  slip_voter_id: "Voter ID: {voterId}",
  slip_code: "One-time code: {code}",
  slip_vote_at: "Vote at {url}, or scan the code.",
} as const;
