"use client";

import { memo, useMemo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { cn } from "@/lib/utils";
import type { RouterOutputs } from "@/trpc/types";
import { SERVICE_LEVEL_TARGET } from "./board-format";

type History = RouterOutputs["wallboard"]["history"];

/** One colour per queue, the same in both charts. */
const palette = ["#6366f1", "#10b981", "#f59e0b", "#ec4899", "#0ea5e9", "#a855f7", "#ef4444"];

const hhmm = (at: number) =>
  new Date(at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

/** Waiting callers (peak per 10 minutes) and service level over the last hours, per queue. */
export const BoardCharts = memo(function BoardCharts({
  history,
  names,
  tv = false,
}: {
  history: History;
  names: ReadonlyMap<string, string>;
  tv?: boolean;
}) {
  const { rows, queues } = useMemo(() => {
    const byAt = new Map<number, Record<string, number | null>>();
    for (const { queueId, points } of history) {
      for (const point of points) {
        const at = point.at.getTime();
        const row = byAt.get(at) ?? { at };
        row[`w:${queueId}`] = point.peakWaiting;
        row[`s:${queueId}`] =
          point.serviceLevel === null ? null : Math.round(point.serviceLevel * 100);
        byAt.set(at, row);
      }
    }
    return {
      rows: [...byAt.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0)),
      queues: history.map((h) => h.queueId),
    };
  }, [history]);
  const axis = { fontSize: tv ? 14 : 11, fill: "var(--muted-foreground)" };
  const tooltipStyle = {
    background: "var(--popover)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    color: "var(--popover-foreground)",
  };
  const nameOf = (key: string) => names.get(key.slice(2)) ?? key.slice(2);

  return (
    <div
      className={cn("grid gap-4 lg:grid-cols-2", tv && "h-full min-h-0 grid-cols-2")}
      data-testid="board-charts"
    >
      <ChartCard title="Callers waiting" subtitle="Most at once, per 10 minutes" tv={tv}>
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="at"
              tickFormatter={hhmm}
              tick={axis}
              stroke="var(--border)"
              minTickGap={32}
            />
            <YAxis allowDecimals={false} tick={axis} stroke="var(--border)" />
            <Tooltip
              contentStyle={tooltipStyle}
              labelFormatter={(at) => hhmm(Number(at))}
              formatter={(value, key) => [value, nameOf(String(key))]}
            />
            <Legend
              formatter={(key) => nameOf(String(key))}
              wrapperStyle={{ fontSize: axis.fontSize }}
            />
            {queues.map((queueId, i) => (
              <Area
                key={queueId}
                type="monotone"
                dataKey={`w:${queueId}`}
                stackId="waiting"
                stroke={palette[i % palette.length]}
                fill={palette[i % palette.length]}
                fillOpacity={0.25}
                strokeWidth={2}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Service level" subtitle="Answered within target, per 10 minutes" tv={tv}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis
              dataKey="at"
              tickFormatter={hhmm}
              tick={axis}
              stroke="var(--border)"
              minTickGap={32}
            />
            <YAxis
              domain={[0, 100]}
              tickFormatter={(v) => `${v}%`}
              tick={axis}
              stroke="var(--border)"
            />
            <Tooltip
              contentStyle={tooltipStyle}
              labelFormatter={(at) => hhmm(Number(at))}
              formatter={(value, key) => [value === null ? "—" : `${value} %`, nameOf(String(key))]}
            />
            <Legend
              formatter={(key) => nameOf(String(key))}
              wrapperStyle={{ fontSize: axis.fontSize }}
            />
            <ReferenceLine
              y={SERVICE_LEVEL_TARGET * 100}
              stroke="var(--muted-foreground)"
              strokeDasharray="4 4"
              label={{
                value: "target",
                position: "insideTopRight",
                fill: "var(--muted-foreground)",
                fontSize: axis.fontSize,
              }}
            />
            {queues.map((queueId, i) => (
              <Line
                key={queueId}
                type="monotone"
                dataKey={`s:${queueId}`}
                stroke={palette[i % palette.length]}
                strokeWidth={2}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
});

function ChartCard({
  title,
  subtitle,
  tv,
  children,
}: {
  title: string;
  subtitle: string;
  tv: boolean;
  children: React.ReactNode;
}) {
  return (
    <section
      aria-label={title}
      className="flex min-h-0 flex-col rounded-xl border bg-card p-4 shadow-sm"
    >
      <header className="mb-2 flex items-baseline justify-between gap-2">
        <h2 className="font-semibold">{title}</h2>
        <p className="text-xs text-muted-foreground">{subtitle}</p>
      </header>
      <div className={cn("min-h-0", tv ? "flex-1" : "h-64")}>{children}</div>
    </section>
  );
}
