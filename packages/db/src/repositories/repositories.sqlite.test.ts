import { describe } from "vitest";
import { describeRepositories } from "../../test/repository-behaviour.js";

describe("repositories on SQLite", () => describeRepositories("sqlite"));
