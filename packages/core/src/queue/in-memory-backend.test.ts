import { describeQueueBehaviour } from "../../test/queue-behaviour.js";
import { describeQueueInputChecks } from "../../test/queue-input-behaviour.js";
import { InMemoryBackend } from "./in-memory-backend.js";

describeQueueBehaviour("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
describeQueueInputChecks("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
