import { describe, expect, it } from "vitest";
import { DEFAULT_FILE_MS, planPlayback } from "./tone-stream.js";

const unknown = () => undefined;

describe("planPlayback", () => {
  it("plays local_stream:// (music on hold) until it is broken", () => {
    expect(planPlayback("local_stream://moh", unknown)).toEqual({
      durationMs: undefined,
      segmentMs: 20,
      found: true,
    });
  });

  it("times tone streams from their segments and gives other files a nominal length", () => {
    expect(planPlayback("tone_stream://%(500,500,440);loops=3", unknown).durationMs).toBe(3000);
    expect(planPlayback("tone_stream://%(500,0,440);loops=-1", unknown).durationMs).toBeUndefined();
    expect(planPlayback("ivr/ivr-welcome.wav", unknown).durationMs).toBe(DEFAULT_FILE_MS);
    expect(planPlayback("/no/such/file.wav", unknown)).toMatchObject({ found: false });
  });
});
