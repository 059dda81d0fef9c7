import { describe } from "vitest";
import { describeAgentPageApi } from "./agent-page-behaviour";

describe("agent page API on SQLite", () => describeAgentPageApi("sqlite"));
