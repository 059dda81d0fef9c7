"use client";

import { XIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  type CallFilters,
  callFiltersSchema,
  callOutcomeFilters,
  outcomeLabels,
} from "./call-filters";

const ANY = "__any";

/** `Date` ⇄ the `datetime-local` box's text, in the browser's time zone. */
function toLocalInput(date: Date | undefined): string {
  if (!date) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

interface Draft {
  since: string;
  until: string;
  queueId: string;
  outcome: string;
  number: string;
  agentContact: string;
}

function draftOf(filters: CallFilters): Draft {
  return {
    since: toLocalInput(filters.since),
    until: toLocalInput(filters.until),
    queueId: filters.queueId ?? ANY,
    outcome: filters.outcome ?? ANY,
    number: filters.number ?? "",
    agentContact: filters.agentContact ?? ANY,
  };
}

function parseDraft(draft: Draft) {
  const opt = (value: string) => (value === "" || value === ANY ? undefined : value);
  return callFiltersSchema.safeParse({
    since: draft.since ? new Date(draft.since) : undefined,
    until: draft.until ? new Date(draft.until) : undefined,
    queueId: opt(draft.queueId),
    outcome: opt(draft.outcome),
    number: opt(draft.number.trim()),
    agentContact: opt(draft.agentContact),
  });
}

/** The filters of call history, checked by the API's own schema before they are applied. */
export function CallFiltersBar({
  filters,
  options,
  onApply,
}: {
  filters: CallFilters;
  options: { queueIds: string[]; agentContacts: string[] } | undefined;
  onApply: (filters: CallFilters) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setDraft(draftOf(filters)), [filters]);
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const apply = (next: Draft) => {
    const parsed = parseDraft(next);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    onApply(parsed.data);
  };
  const active = Object.values(filters).some((v) => v !== undefined);
  return (
    <form
      className="grid gap-3 rounded-xl border bg-card p-4 sm:grid-cols-2 lg:grid-cols-6"
      aria-label="Call filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply(draft);
      }}
    >
      <div className="grid gap-1.5">
        <Label htmlFor="filter-since">From</Label>
        <Input
          id="filter-since"
          type="datetime-local"
          value={draft.since}
          onChange={(e) => set("since")(e.target.value)}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-until">To</Label>
        <Input
          id="filter-until"
          type="datetime-local"
          value={draft.until}
          aria-invalid={Boolean(errors.until)}
          onChange={(e) => set("until")(e.target.value)}
        />
        {errors.until ? <p className="text-xs text-destructive">{errors.until}</p> : null}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-queue">Queue</Label>
        <Select value={draft.queueId} onValueChange={set("queueId")}>
          <SelectTrigger id="filter-queue">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>Any queue</SelectItem>
            {options?.queueIds.map((q) => (
              <SelectItem key={q} value={q}>
                {q}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-outcome">Outcome</Label>
        <Select value={draft.outcome} onValueChange={set("outcome")}>
          <SelectTrigger id="filter-outcome">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>Any outcome</SelectItem>
            {callOutcomeFilters.map((o) => (
              <SelectItem key={o} value={o}>
                {outcomeLabels[o]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-number">Number</Label>
        <Input
          id="filter-number"
          inputMode="tel"
          placeholder="Caller or dialled"
          value={draft.number}
          aria-invalid={Boolean(errors.number)}
          onChange={(e) => set("number")(e.target.value)}
        />
        {errors.number ? <p className="text-xs text-destructive">{errors.number}</p> : null}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="filter-agent">Agent</Label>
        <Select value={draft.agentContact} onValueChange={set("agentContact")}>
          <SelectTrigger id="filter-agent">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>Any agent</SelectItem>
            {options?.agentContacts.map((a) => (
              <SelectItem key={a} value={a}>
                {a}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit">Apply filters</Button>
        {active ? (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setErrors({});
              onApply({});
            }}
          >
            <XIcon /> Clear
          </Button>
        ) : null}
      </div>
    </form>
  );
}
