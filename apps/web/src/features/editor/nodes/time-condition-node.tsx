"use client";

import { weekdays } from "@ringflow/core/flow";
import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowCanvasNode } from "../model/canvas-mapping";
import { dayLabels } from "../panel/field-labels";
import { NodeShell } from "./node-shell";
import { readConfig } from "./read-config";

function describeDays(days: readonly string[]): string {
  const order: readonly string[] = weekdays;
  const sorted = [...days].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (sorted.length === 7) return "Every day";
  if (sorted.join() === "mon,tue,wed,thu,fri") return "Mon–Fri";
  return sorted.map((d) => dayLabels[d] ?? d).join(", ");
}

/** Opening hours: the first ranges, the zone and the holidays. */
export const TimeConditionNode = memo(function TimeConditionNode({
  id,
  data,
  selected,
}: NodeProps<FlowCanvasNode>) {
  const config = readConfig("timeCondition", data);
  const hours = Array.isArray(config.hours) ? config.hours : [];
  const holidays = Array.isArray(config.holidays) ? config.holidays.length : 0;
  return (
    <NodeShell
      id={id}
      type="timeCondition"
      data={data}
      selected={selected}
      summary={
        <>
          {hours.length === 0 && <div>Always closed</div>}
          {hours.slice(0, 2).map((range, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no id; the list is display only.
            <div key={i}>
              {describeDays(Array.isArray(range.days) ? range.days : [])} {range.from}–{range.to}
            </div>
          ))}
          {hours.length > 2 && <div>+{hours.length - 2} more ranges</div>}
          <div>
            {config.timeZone ?? "UTC"}
            {holidays > 0 && ` · ${holidays} holiday${holidays === 1 ? "" : "s"}`}
          </div>
        </>
      }
    />
  );
});
