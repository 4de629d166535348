import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startWebhookReceiver } from "@/test-support/webhook-receiver";
import { BlockedTargetError, checkTarget, guardSocket, isPublicAddress, REFUSED_TARGET } from "./target-guard";

describe("webhook targets", () => {
  it("only public unicast addresses are public", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "fc00::1",
      "0.0.0.0",
      "100.64.0.1",
      "::ffff:127.0.0.1",
      "224.0.0.1",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])
      expect(isPublicAddress(address), address).toBe(true);
  });

  it("IPv6 forms that carry an IPv4 address are not public when it is not, and IPv4-compatible ones never", () => {
    const notPublic = {
      // IPv4-compatible (::/96, deprecated): in both spellings, which ipaddr.js reads differently
      // (the dotted one as IPv4-mapped, the hex one as ordinary unicast); none is a real receiver.
      compatible: [
        "::127.0.0.1",
        "::7f00:1",
        "::10.0.0.1",
        "::a00:1",
        "::169.254.169.254",
        "::a9fe:a9fe",
        "::8.8.8.8",
        "::808:808",
      ],
      mapped: ["::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a00:1", "::ffff:169.254.169.254", "0:0:0:0:0:ffff:7f00:1"],
      translated: ["::ffff:0:127.0.0.1", "::ffff:0:7f00:1"],
      nat64: ["64:ff9b::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1"],
      sixToFour: ["2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::"],
      // The client's address is the last 32 bits inverted: 80ff:fffe is 127.0.0.1.
      teredo: ["2001:0:4136:e378:8000:63bf:80ff:fffe", "2001::f5ff:fffe"],
    };
    for (const [form, addresses] of Object.entries(notPublic)) {
      for (const address of addresses) expect(isPublicAddress(address), `${form} ${address}`).toBe(false);
    }
    // A mapped public address is that IPv4 address: a connection to it goes there.
    expect(isPublicAddress("::ffff:8.8.8.8")).toBe(true);
  });

  it("refuses a URL whose host is (or resolves to) a private address, unless allowed, without saying what it resolves to", async () => {
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "http://[::1]/hook",
      "http://localhost/hook",
      "http://[::127.0.0.1]/hook",
      "http://[::7f00:1]/hook",
      "http://[::ffff:7f00:1]/hook",
      "http://[64:ff9b::a9fe:a9fe]/",
    ]) {
      const refused = await checkTarget(new URL(url), false).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused, url).toBeInstanceOf(BlockedTargetError);
      expect((refused as Error).message, url).toBe(REFUSED_TARGET);
    }
    await expect(checkTarget(new URL("http://127.0.0.1:8080/hook"), true)).resolves.toBeUndefined();
  });

  it("refuses a socket connected to a non-public address before anything written to it goes out", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const port = Number(new URL(receiver.url).port);
      const refusedOf = (socket: ReturnType<typeof connect>) =>
        new Promise<Error>((resolve) => socket.once("error", resolve));
      // Connecting: a request written now waits for the connection, as node:http's does.
      const connecting = connect(port, "127.0.0.1");
      connecting.write("POST /hooks HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\n\r\n{}");
      const refusedConnecting = refusedOf(connecting);
      guardSocket(connecting, "127.0.0.1");
      expect(await refusedConnecting).toBeInstanceOf(BlockedTargetError);
      // Connected already (a kept-alive socket handed to a new request).
      const connected = connect(port, "127.0.0.1");
      await new Promise((ready) => connected.once("connect", ready));
      const refused = refusedOf(connected);
      guardSocket(connected, "127.0.0.1");
      expect(await refused).toBeInstanceOf(BlockedTargetError);
      expect(connected.destroyed).toBe(true);

      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.connections).toBe(2);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
