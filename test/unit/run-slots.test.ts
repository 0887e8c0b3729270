import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestSlots } from "../../src/run/slots.js";

const never = new AbortController().signal;

describe("RequestSlots", () => {
  it("grants up to the limit at once, then hands each released slot to the longest waiter", async () => {
    const slots = new RequestSlots(2);
    const first = await slots.acquire(never);
    const second = await slots.acquire(never);
    const order: string[] = [];
    const third = slots.acquire(never).then((release) => (order.push("third"), release));
    const fourth = slots.acquire(never).then((release) => (order.push("fourth"), release));
    assert.deepEqual([slots.running, slots.waiting], [2, 2]);
    first();
    first(); // a second release of the same slot is a no-op
    (await third)();
    second();
    (await fourth)();
    assert.deepEqual(order, ["third", "fourth"]);
    assert.deepEqual([slots.running, slots.waiting], [0, 0]);
  });

  it("a waiter whose signal aborts leaves the queue with the signal's reason and takes no slot", async () => {
    const slots = new RequestSlots(1);
    const held = await slots.acquire(never);
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    const reason = new Error("client went away");
    controller.abort(reason);
    await assert.rejects(waiting, (error) => error === reason);
    assert.equal(slots.waiting, 0);
    held();
    assert.equal(slots.running, 0);
    await assert.rejects(slots.acquire(controller.signal), (error) => error === reason);
  });
});
