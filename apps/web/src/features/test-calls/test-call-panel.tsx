"use client";

import type { FlowDraft, PathStep } from "@ringflow/core/flow";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink, Phone, PhoneOff, Smartphone } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
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
import { OutcomeBadge } from "@/features/calls/outcome-badge";
import { TraceTimeline } from "@/features/calls/trace-timeline";
import { apiFailure, describeFailure } from "@/lib/api-errors";
import { cn } from "@/lib/utils";
import { useTRPC } from "@/trpc/client";
import { PHONE_ANSWER_LABELS, phoneAnswerSchema, phoneNumberSchema } from "./test-call-schema";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"] as const;
const POLL_MS = 400;

/** A test call the panel placed, and the draft it runs. */
interface PlacedCall {
  readonly callUuid: string;
  readonly label: string;
  readonly graph: FlowDraft;
  readonly run: "draft" | "live";
}

/** What the canvas draws for the call: its path so far on the graph it runs. */
export interface TestCallPath {
  readonly label: string;
  readonly graph: FlowDraft | null;
  readonly run: "draft" | "live";
  readonly steps: readonly PathStep[];
  readonly live: boolean;
}

/** The reason a failure gets, in a sentence (the draft's errors send the admin to Problems). */
function sentence(error: unknown): string {
  const failure = apiFailure(error);
  return failure.domainCode === "FLOW_NOT_PUBLISHABLE"
    ? "The draft has errors, so it cannot take a call: fix them first (see Problems)."
    : describeFailure(failure);
}

/**
 * The editor's "Test call" panel: places a call through the simulator to
 * the draft (or a number routed to the live version), from a caller number
 * of your choice; a keypad for the caller; each simulated agent's phone set
 * to answer, not answer or be busy; and the call's steps as the worker runs
 * them — the canvas lights its path up through `onPath`.
 */
export function TestCallPanel(props: {
  flowId: string;
  /** The numbers the draft's start node lists (the default number dialled). */
  startNumbers: readonly string[];
  /** Saves what is pending and returns the draft as the worker will read it; throws with a sentence if it cannot. */
  prepare: () => Promise<FlowDraft>;
  onPath: (path: TestCallPath) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const setup = useQuery(trpc.testCalls.setup.queryOptions({ flowId: props.flowId }));
  const [run, setRun] = useState<"draft" | "live">("draft");
  const [number, setNumber] = useState("");
  const [from, setFrom] = useState("+442079460123");
  const [call, setCall] = useState<PlacedCall | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const liveNumbers = setup.data?.numbers ?? [];
  const dialled =
    number ||
    (run === "live" ? liveNumbers[0] : (props.startNumbers[0] ?? liveNumbers[0])) ||
    "7000";

  const line = useQuery(
    trpc.testCalls.line.queryOptions(
      { callUuid: call?.callUuid ?? "" },
      {
        enabled: call !== null,
        refetchInterval: (q) => (q.state.data?.state === "ended" ? false : POLL_MS),
      },
    ),
  );
  const record = useQuery(
    trpc.calls.get.queryOptions(
      { callUuid: call?.callUuid ?? "" },
      {
        enabled: call !== null,
        refetchInterval: (q) => (q.state.data?.record.outcome ? false : POLL_MS),
      },
    ),
  );
  const ended = line.data?.state === "ended";
  const outcome = record.data?.record.outcome ?? null;

  const { onPath } = props;
  const steps = record.data?.steps;
  useEffect(() => {
    if (!call || !steps) return;
    onPath({
      label: call.label,
      graph: call.run === "draft" ? call.graph : null,
      run: call.run,
      live: outcome === null,
      steps: steps.map((s) => ({
        at: s.at.getTime(),
        kind: s.kind,
        nodeId: s.nodeId,
        output: (s.data as { output?: string } | null)?.output ?? null,
      })),
    });
  }, [call, steps, outcome, onPath]);

  const place = useMutation(trpc.testCalls.place.mutationOptions());
  const press = useMutation(trpc.testCalls.press.mutationOptions());
  const hangUp = useMutation(trpc.testCalls.hangUp.mutationOptions());
  const setPhone = useMutation(
    trpc.testCalls.setPhone.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.testCalls.setup.pathFilter()),
    }),
  );

  const start = async () => {
    setProblem(null);
    const checks = [phoneNumberSchema.safeParse(dialled), phoneNumberSchema.safeParse(from)];
    const bad = checks.find((c) => !c.success);
    if (bad && !bad.success) {
      setProblem(bad.error.issues[0]?.message ?? "Check the numbers");
      return;
    }
    try {
      const graph = await props.prepare();
      const { callUuid } = await place.mutateAsync({
        flowId: props.flowId,
        run,
        number: dialled,
        from,
      });
      const at = new Date().toLocaleTimeString();
      setCall({ callUuid, label: `Test call ${at}`, graph, run });
    } catch (error) {
      setProblem(error instanceof Error && !("data" in error) ? error.message : sentence(error));
    }
  };
  const act = (work: Promise<unknown>) => work.catch((error) => setProblem(sentence(error)));

  if (setup.isPending) {
    return <p className="p-4 text-sm text-muted-foreground">Looking for the simulator…</p>;
  }
  if (setup.isError || !setup.data?.available) {
    return (
      <div className="space-y-2 p-4 text-sm" data-testid="test-call-unavailable">
        <p className="font-medium">Test calls are off</p>
        <p className="text-muted-foreground">
          {setup.data?.reason ?? (setup.error ? sentence(setup.error) : "")}
        </p>
      </div>
    );
  }

  const inCall = call !== null && !ended;
  const phones = setup.data.phones;
  const agentOf = (id: string | null) => phones.find((p) => p.id === id);
  const status = !call
    ? null
    : ended
      ? "Call ended"
      : line.data?.bridgedTo
        ? `Talking to ${agentOf(line.data.bridgedTo)?.agentName ?? line.data.bridgedTo}`
        : line.data?.state === "answered"
          ? "In the flow"
          : "Ringing the flow…";

  return (
    <section
      className="flex h-full min-h-0 flex-col"
      aria-label="Test call"
      data-testid="test-call-panel"
    >
      <div className="space-y-3 border-b p-3">
        <fieldset
          className="grid grid-cols-2 gap-1 rounded-md bg-muted p-1 text-xs"
          aria-label="What to call"
        >
          {(["draft", "live"] as const).map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={run === value}
              disabled={inCall || (value === "live" && liveNumbers.length === 0)}
              title={
                value === "live" && liveNumbers.length === 0
                  ? "No number is routed to this flow yet"
                  : undefined
              }
              onClick={() => {
                setRun(value);
                setNumber("");
              }}
              className={cn(
                "rounded px-2 py-1 font-medium disabled:opacity-50",
                run === value ? "bg-background shadow-sm" : "text-muted-foreground",
              )}
            >
              {value === "draft" ? "The draft" : "Live version"}
            </button>
          ))}
        </fieldset>
        <div className="grid grid-cols-2 gap-2">
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-to`} className="text-xs">
              Dial
            </Label>
            {run === "live" ? (
              <Select value={dialled} onValueChange={setNumber} disabled={inCall}>
                <SelectTrigger id={`${ids}-to`} className="h-8 text-sm">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {liveNumbers.map((n) => (
                    <SelectItem key={n} value={n}>
                      {n}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            ) : (
              <Input
                id={`${ids}-to`}
                className="h-8"
                value={number}
                placeholder={dialled}
                onChange={(e) => setNumber(e.target.value)}
                disabled={inCall}
              />
            )}
          </div>
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-from`} className="text-xs">
              Caller
            </Label>
            <Input
              id={`${ids}-from`}
              className="h-8"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              disabled={inCall}
            />
          </div>
        </div>
        {inCall ? (
          <Button
            variant="destructive"
            className="w-full"
            onClick={() => call && act(hangUp.mutateAsync({ callUuid: call.callUuid }))}
          >
            <PhoneOff /> Hang up
          </Button>
        ) : (
          <Button className="w-full" onClick={() => void start()} disabled={place.isPending}>
            <Phone /> {place.isPending ? "Calling…" : call ? "Call again" : "Call"}
          </Button>
        )}
        {problem && (
          <p role="alert" className="text-xs text-destructive">
            {problem}
          </p>
        )}
      </div>

      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto p-3">
        {call && (
          <div className="space-y-2">
            <div className="flex items-center justify-between gap-2">
              <span className="text-sm font-medium" data-testid="test-call-status">
                {status}
              </span>
              {(ended || outcome) && (
                <span data-testid="test-call-outcome">
                  <OutcomeBadge outcome={outcome} />
                </span>
              )}
            </div>
            <fieldset className="grid grid-cols-3 gap-1.5" aria-label="Keypad">
              {KEYS.map((key) => (
                <Button
                  key={key}
                  variant="outline"
                  size="sm"
                  className="h-9 font-mono text-base"
                  disabled={!inCall}
                  aria-label={`Press ${key}`}
                  onClick={() =>
                    call && act(press.mutateAsync({ callUuid: call.callUuid, digits: key }))
                  }
                >
                  {key}
                </Button>
              ))}
            </fieldset>
          </div>
        )}

        <div className="space-y-1.5">
          <h3 className="flex items-center gap-1.5 text-xs font-semibold uppercase tracking-wide text-muted-foreground">
            <Smartphone className="size-3.5" /> Agents' phones
          </h3>
          {phones.length === 0 && (
            <p className="text-xs text-muted-foreground">The simulator has no phones registered.</p>
          )}
          <ul className="space-y-1">
            {phones.map((phone) => (
              <li
                key={phone.id}
                className="flex items-center justify-between gap-2 text-sm"
                data-testid={`phone-${phone.id}`}
              >
                <span className="min-w-0 truncate">
                  <span className="font-mono text-xs text-muted-foreground">{phone.id}</span>{" "}
                  {phone.agentName}
                  {line.data?.bridgedTo === phone.id && (
                    <span className="ml-1 text-xs font-medium text-emerald-600">· on the call</span>
                  )}
                </span>
                <span
                  className="flex shrink-0 rounded-md border p-0.5 text-[11px]"
                  role="radiogroup"
                  aria-label={`Phone ${phone.id}`}
                >
                  {phoneAnswerSchema.options.map((answer) => (
                    <button
                      key={answer}
                      type="button"
                      aria-pressed={phone.answer === answer}
                      onClick={() => act(setPhone.mutateAsync({ phoneId: phone.id, answer }))}
                      className={cn(
                        "rounded px-1.5 py-0.5",
                        phone.answer === answer
                          ? "bg-primary text-primary-foreground"
                          : "text-muted-foreground hover:text-foreground",
                      )}
                    >
                      {PHONE_ANSWER_LABELS[answer]}
                    </button>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </div>

        {call && record.data && (
          <div className="space-y-1.5">
            <div className="flex items-center justify-between">
              <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
                What happened
              </h3>
              <Link
                href={`/calls/${encodeURIComponent(call.callUuid)}`}
                className="inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
              >
                Call history <ExternalLink className="size-3" />
              </Link>
            </div>
            <TraceTimeline
              steps={record.data.steps}
              startedAt={record.data.record.startedAt}
              compact
            />
          </div>
        )}
        {!call && (
          <p className="text-xs text-muted-foreground">
            The call runs on the simulator's switch through the real worker: watch its path light up
            on the canvas, press keys as the caller, and choose what each agent's phone does.
          </p>
        )}
      </div>
    </section>
  );
}
