/**
 * Opens and closes voting at the times the election was started with
 * (`--opens-at`, `--closes-at`), through the same store operations as the
 * administrator's "Open voting" and "End voting", and records each in the
 * audit log. With several instances every one keeps the schedule; the store
 * decides once for the whole election, and only the instance whose opening or
 * close took effect records it.
 */
import type { BallotCount, ElectionStore } from "../store/store.ts";
import { VoteError } from "../election/errors.ts";
import { systemTimers, type TimerId, type Timers } from "../timers.ts";
import { type AuditTrail, closeDetail } from "./audit_log.ts";

/** The longest single timeout: runtimes fire longer ones at once (2^31 - 1 ms overflows). */
const LONGEST_WAIT = 2 ** 30;

/**
 * How often the clock is read while a time is awaited. A timeout counts only
 * the time the machine is awake: a laptop that slept through the opening or
 * the closing would otherwise act as late as it slept.
 */
export const CLOCK_CHECK_MS = 10_000;

/** What the schedule needs of a store. */
export type ScheduledStore =
  & Pick<ElectionStore, "snapshot" | "subscribe" | "open" | "close">
  & { recount(): Promise<BallotCount> };

/** Options for `VotingSchedule`. */
export interface VotingScheduleOptions {
  /** The clock and timeouts (default: the system's). */
  timers?: Timers;
  /** Says something the organiser should know (default: the console). */
  notice?: (text: string) => void;
}

/** Keeps an election's opening and closing times. */
export class VotingSchedule {
  readonly #store: ScheduledStore;
  readonly #audit: AuditTrail;
  readonly #timers: Timers;
  readonly #notice: (text: string) => void;
  #timer: TimerId | undefined;
  #unsubscribe: (() => void) | undefined;
  #busy = false;
  /** A change came while an action was under way: look again once it is done. */
  #changed = false;
  #heldByMock = false;

  /**
   * Makes the schedule; nothing runs until it is started.
   *
   * @param store The election's store.
   * @param audit Where openings and closes are recorded.
   * @param options The timers and where notices go.
   */
  constructor(store: ScheduledStore, audit: AuditTrail, options: VotingScheduleOptions = {}) {
    this.#store = store;
    this.#audit = audit;
    this.#timers = options.timers ?? systemTimers;
    this.#notice = options.notice ?? ((text) => console.log(text));
  }

  /**
   * Starts keeping the schedule: what is due now happens at once, the rest at
   * its time. An election without times sets no timer.
   */
  start(): void {
    this.#unsubscribe ??= this.#store.subscribe(() => this.#check());
    this.#check();
  }

  /**
   * Whether the clock has reached the closing time. A vote asks before it is
   * cast, so that none is taken after the time while the closing is under
   * way, or while its timeout is late; what is due (a late opening, too) is
   * done at once, ahead of the vote in the store's queue.
   *
   * @returns True from the closing time on, whatever the store says yet.
   */
  pastClosing(): boolean {
    const tally = this.#store.snapshot();
    const day = tally.day;
    if (!day || tally.status === "closed") return false;
    const now = this.#timers.now();
    const past = day.closesAt !== null && now >= day.closesAt;
    const opening = tally.status === "pending" && day.opensAt !== null && now >= day.opensAt;
    if ((past || opening) && !this.#heldByMock && this.#unsubscribe) this.#check();
    return past;
  }

  /** Stops: no timer is left running. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Does what is due, then waits for the next time (an opening or a close). */
  #check(): void {
    if (this.#busy) {
      this.#changed = true;
      return;
    }
    const tally = this.#store.snapshot();
    const day = tally.day;
    if (!day || tally.status === "closed") return this.#wait(null);
    const now = this.#timers.now();
    if (day.closesAt !== null && now >= day.closesAt) return this.#act(() => this.#close());
    if (tally.status === "pending" && day.opensAt !== null && now >= day.opensAt) {
      return this.#act(() => this.#open());
    }
    const next = [tally.status === "pending" ? day.opensAt : null, day.closesAt]
      .filter((at): at is number => at !== null && at > now);
    this.#wait(next.length > 0 ? Math.min(...next) : null);
  }

  #wait(at: number | null): void {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (at === null || !this.#unsubscribe) return;
    const ms = Math.min(at - this.#timers.now(), LONGEST_WAIT, CLOCK_CHECK_MS);
    this.#timer = this.#timers.setTimeout(() => this.#check(), ms);
  }

  #act(step: () => Promise<void>): void {
    this.#busy = true;
    this.#changed = false;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    step().then(() => {
      this.#heldByMock = false;
      return "next" as const;
    }, (e) => {
      if (!(e instanceof VoteError)) {
        console.error(`The voting schedule could not act: ${(e as Error).message}`);
        return "retry" as const;
      }
      // Another instance, or the administrator, was first.
      if (e.code === "voting_open" || e.code === "voting_closed") return "next" as const;
      if (e.code !== "mock_poll_uncleared") return "retry" as const;
      // Held until the mock poll is cleared: the store's next change tries again.
      if (!this.#heldByMock) {
        this.#heldByMock = true;
        this.#notice(
          "The mock poll still holds votes at the set time: clear it in the admin panel, and voting opens (or closes) at once.",
        );
        this.#audit.append({ actor: "system", address: "-", event: "schedule-held" });
      }
      return "held" as const;
    }).then((next) => {
      this.#busy = false;
      if (next === "next" || this.#changed) this.#check();
      else if (next === "retry") this.#wait(this.#timers.now() + 1000);
    });
  }

  async #open(): Promise<void> {
    await this.#store.open();
    this.#audit.append({
      actor: "system",
      address: "-",
      event: "open",
      detail: { by: "schedule" },
    });
  }

  async #close(): Promise<void> {
    await this.#store.close("schedule");
    this.#audit.append({
      actor: "system",
      address: "-",
      event: "close",
      detail: await closeDetail(this.#store, "schedule"),
    });
  }
}
