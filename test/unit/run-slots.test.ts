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

  it("while paused no slot is granted, not even a released one; resume grants waiters in order up to the limit", async () => {
    const slots = new RequestSlots(2);
    const held = await slots.acquire(never);
    slots.pause();
    const order: string[] = [];
    const queue = (name: string) => slots.acquire(never).then((release) => (order.push(name), release));
    const queued = [queue("a"), queue("b"), queue("c")] as const;
    held();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([slots.running, slots.waiting, order], [0, 3, []]);
    slots.resume();
    const [a, b] = await Promise.all([queued[0], queued[1]]);
    assert.deepEqual([slots.running, slots.waiting, order], [2, 1, ["a", "b"]]);
    a();
    (await queued[2])();
    b();
    assert.deepEqual([slots.running, slots.waiting, order], [0, 0, ["a", "b", "c"]]);
  });

  it("close refuses every waiter and every later request with its reason; holders keep their slot", async () => {
    const slots = new RequestSlots(1);
    const held = await slots.acquire(never);
    const waiting = slots.acquire(never);
    const reason = new Error("the wait for the usage limit was cut short");
    slots.close(reason);
    await assert.rejects(waiting, (error) => error === reason);
    await assert.rejects(slots.acquire(never), (error) => error === reason);
    assert.deepEqual([slots.running, slots.waiting], [1, 0]);
    held();
    assert.equal(slots.running, 0);
  });
});
