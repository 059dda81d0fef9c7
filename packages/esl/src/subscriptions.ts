import { EslInvalidArgumentError } from "./errors.js";
import { assertSingleLine } from "./format-command.js";

/** Event serialization FreeSWITCH uses on a connection (both decode to the same `EslEvent`). */
export type EventFormat = "plain" | "json";

/** A command to send, and what to record once the switch accepted it. */
export interface PlannedCommand {
  readonly command: string;
  readonly commit: () => void;
}

// Always subscribed: bgapi resolves on it.
const BACKGROUND_JOB = "BACKGROUND_JOB";
const EVENT_TOKEN = /^[A-Za-z0-9_:.-]+$/;
const HEADER_TOKEN = /^[A-Za-z0-9_-]+$/;

interface Filter {
  readonly header: string;
  readonly value: string;
}

function isJobFilter(filter: Filter): boolean {
  return (
    filter.header.toLowerCase() === "event-name" && filter.value.toUpperCase() === BACKGROUND_JOB
  );
}

function assertEventToken(token: string): void {
  if (!EVENT_TOKEN.test(token))
    throw new EslInvalidArgumentError(`invalid event name ${JSON.stringify(token)}`);
}

function assertHeader(header: string): void {
  if (!HEADER_TOKEN.test(header)) {
    throw new EslInvalidArgumentError(`invalid filter header ${JSON.stringify(header)}`);
  }
}

/**
 * What an inbound connection asked FreeSWITCH for (`event`, `nixevent`,
 * `filter`), so it can be asked again after a reconnection. Only commands
 * the switch accepted are recorded (a refused one, replayed, would fail every
 * reconnection).
 */
export class Subscriptions {
  private readonly names = new Set<string>([BACKGROUND_JOB]);
  private readonly subclasses = new Set<string>();
  private readonly filters: Filter[] = [];

  constructor(private format: EventFormat) {}

  /** True when every name in `names` is subscribed (or ALL is). */
  covers(names: readonly string[]): boolean {
    return this.names.has("ALL") || names.every((name) => this.names.has(name));
  }

  /** `event <format> <every name so far>`: FreeSWITCH adds them up, so resending all is harmless. */
  subscribe(events: readonly string[], format?: EventFormat): PlannedCommand {
    let custom = false;
    const names: string[] = [];
    const subclasses: string[] = [];
    for (const token of events) {
      assertEventToken(token);
      if (custom) subclasses.push(token);
      else if (token.toUpperCase() === "CUSTOM") custom = true;
      else names.push(token.toUpperCase());
    }
    if (custom) names.push("CUSTOM");
    const allNames = new Set([...this.names, ...names]);
    const allSubclasses = new Set([...this.subclasses, ...subclasses]);
    const nextFormat = format ?? this.format;
    return {
      command: eventCommand(nextFormat, allNames, allSubclasses),
      commit: () => {
        for (const name of names) this.names.add(name);
        for (const subclass of subclasses) this.subclasses.add(subclass);
        this.format = nextFormat;
      },
    };
  }

  /** `nixevent <names>` (never BACKGROUND_JOB), or nothing to do. */
  unsubscribe(events: readonly string[]): PlannedCommand | undefined {
    const names = events
      .map((name) => name.toUpperCase())
      .filter((name) => name !== BACKGROUND_JOB);
    for (const name of names) assertEventToken(name);
    if (names.length === 0) return undefined;
    return {
      command: `nixevent ${names.join(" ")}`,
      commit: () => {
        for (const name of names) this.names.delete(name);
      },
    };
  }

  /**
   * `filter <header> <value>`. Once any filter exists FreeSWITCH drops the
   * events matching none, and BACKGROUND_JOB carries no Unique-ID: so the
   * first filter comes with `filter Event-Name BACKGROUND_JOB`, or bgapi
   * results would never arrive.
   */
  addFilter(header: string, value: string): PlannedCommand[] {
    assertHeader(header);
    assertSingleLine(value, "filter value");
    if (value.trim() === "") throw new EslInvalidArgumentError("filter value must not be empty");
    const planned: PlannedCommand[] = [];
    if (this.filters.length === 0 && !isJobFilter({ header, value })) {
      planned.push(this.filterCommand({ header: "Event-Name", value: BACKGROUND_JOB }));
    }
    planned.push(this.filterCommand({ header, value }));
    return planned;
  }

  /** `filter delete <header> [value]`, or `filter delete all` for header `all`. */
  deleteFilter(header: string, value?: string): PlannedCommand[] {
    assertHeader(header);
    if (value !== undefined) assertSingleLine(value, "filter value");
    if (header.toLowerCase() === "all") {
      return [{ command: "filter delete all", commit: () => this.keepFilters(() => false) }];
    }
    const matches = (filter: Filter) =>
      filter.header.toLowerCase() === header.toLowerCase() &&
      (value === undefined || filter.value === value);
    const planned: PlannedCommand[] = [
      {
        command:
          value === undefined ? `filter delete ${header}` : `filter delete ${header} ${value}`,
        commit: () => this.keepFilters((filter) => !matches(filter)),
      },
    ];
    const left = this.filters.filter((filter) => !matches(filter));
    if (left.length > 0 && left.every(isJobFilter)) {
      // Only the filter added for bgapi would be left, and alone it would block everything else.
      planned.push({
        command: `filter delete Event-Name ${BACKGROUND_JOB}`,
        commit: () => this.keepFilters(() => false),
      });
    }
    return planned;
  }

  /** Everything to send on a fresh connection, in order. */
  restore(): string[] {
    return [
      eventCommand(this.format, this.names, this.subclasses),
      ...this.filters.map((filter) => `filter ${filter.header} ${filter.value}`),
    ];
  }

  private filterCommand(filter: Filter): PlannedCommand {
    return {
      command: `filter ${filter.header} ${filter.value}`,
      commit: () => this.filters.push(filter),
    };
  }

  private keepFilters(keep: (filter: Filter) => boolean): void {
    const kept = this.filters.filter(keep);
    this.filters.length = 0;
    this.filters.push(...kept);
  }
}

function eventCommand(
  format: EventFormat,
  names: ReadonlySet<string>,
  subclasses: ReadonlySet<string>,
): string {
  const plain = [...names].filter((name) => name !== "CUSTOM");
  const custom = names.has("CUSTOM") ? ["CUSTOM", ...subclasses] : [];
  return `event ${format} ${[...plain, ...custom].join(" ")}`;
}
