/**
 * What the settings form calls each config field and variant. The field
 * names are core's; these are their words for people. Keyed by
 * `parent.field` first (a menu's `to` is not a range's), then by the field.
 */
const fieldLabels: Readonly<Record<string, string>> = {
  label: "Name on the canvas",
  numbers: "Numbers",
  message: "Message",
  prompt: "Prompt",
  options: "Keys",
  "options.label": "What it is for",
  digit: "Key",
  retries: "Retries",
  timeoutSeconds: "Timeout (seconds)",
  invalidPrompt: "Wrong-key message",
  timeZone: "Time zone",
  hours: "Opening hours",
  days: "Days",
  "hours.from": "Opens",
  "hours.to": "Closes",
  holidays: "Holidays",
  date: "Date",
  "holidays.label": "Name",
  queueId: "Queue",
  maxConcurrent: "Calls at once",
  priority: "Priority",
  vipNumbers: "VIP numbers",
  vipPriority: "VIP priority",
  holdMusic: "Hold music",
  announcement: "Position announcement",
  announceEverySeconds: "Announce every (seconds)",
  maxWaiting: "Most callers waiting",
  leaveWhenNoAgents: "Leave when no agent is logged in",
  agentGroupId: "Agent group",
  targets: "Ring",
  destinations: "Destinations",
  mode: "Mode",
  legTimeoutSeconds: "Ring each for (seconds)",
  totalTimeoutSeconds: "Ring the group at most (seconds)",
  variables: "Channel variables",
  to: "Connect to",
  dialString: "Dial string",
  mailbox: "Mailbox",
  profile: "Voicemail profile",
  domain: "Domain",
  cause: "Hang-up cause",
  file: "Sound file",
  text: "Text",
  voice: "Voice",
};

const variantLabels: Readonly<Record<string, string>> = {
  file: "Sound file",
  speech: "Spoken text",
  destinations: "Fixed destinations",
  agentGroup: "An agent group",
  answeredLeg: "The answered agent",
  dial: "A number",
};

/** Short names of core's weekdays. */
export const dayLabels: Readonly<Record<string, string>> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

/** `maxConcurrent` → "Max concurrent": for a field no one has named yet. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of field `key` inside `parent` (the enclosing field's key, if any). */
export function fieldLabel(key: string, parent?: string): string {
  return (
    (parent !== undefined ? fieldLabels[`${parent}.${key}`] : undefined) ??
    fieldLabels[key] ??
    humanize(key)
  );
}

/** The label of a variant (`kind` value) or choice. */
export function choiceLabel(value: string): string {
  return variantLabels[value] ?? dayLabels[value] ?? value;
}
