import { describe } from "vitest";
import { describeApi } from "./api-behaviour";

describe("web API on SQLite", () => describeApi("sqlite"));
