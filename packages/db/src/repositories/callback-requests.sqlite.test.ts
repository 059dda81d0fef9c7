import { describe } from "vitest";
import { describeCallbackRequests } from "../../test/callback-requests-behaviour.js";

describe("callback requests on SQLite", () => describeCallbackRequests("sqlite"));
