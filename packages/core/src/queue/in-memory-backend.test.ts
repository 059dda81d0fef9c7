import { describeQueueBehaviour } from "../../test/queue-behaviour.js";
import { describeQueueInputChecks } from "../../test/queue-input-behaviour.js";
import { describeQueuePlaceBehaviour } from "../../test/queue-place-behaviour.js";
import { InMemoryBackend } from "./in-memory-backend.js";

describeQueueBehaviour("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
describeQueueInputChecks("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
describeQueuePlaceBehaviour("InMemoryBackend", (clock) => new InMemoryBackend({ clock }));
