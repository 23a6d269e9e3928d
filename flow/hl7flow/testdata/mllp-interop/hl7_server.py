#!/usr/bin/python3
"""python3-hl7's MLLP server as the receiving interface engine, for
record.sh and flow's TestHL7ClientLiveCapture.

Answers each message with an original-mode ACK built by python3-hl7
(Message.create_ack): AE when MSH-10 starts with ERR, AR when it starts
with REJ, AA otherwise. The ACK's own control ID (MSH-10) is "A" followed
by the message's. Listens on 127.0.0.1 only; prints the port it listens on,
then serves until SIGTERM or SIGINT, for 10 minutes at most.
usage: hl7_server.py [PORT]   (0 or none: any free port)
"""
import asyncio
import signal
import sys

import hl7
import hl7.mllp


def ack_code(control_id):
    if control_id.startswith("ERR"):
        return "AE"
    if control_id.startswith("REJ"):
        return "AR"
    return "AA"


async def handle(reader, writer):
    try:
        while not writer.is_closing():
            msg = await reader.readmessage()
            ctrl = str(msg.segment("MSH")(10))
            writer.writemessage(msg.create_ack(ack_code(ctrl), message_id="A" + ctrl))
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass  # the client closed the connection
    finally:
        writer.close()


async def main(port):
    # Frames up to 1 MiB (asyncio streams stop at 64 KiB by default).
    server = await hl7.mllp.start_hl7_server(handle, "127.0.0.1", port, limit=1 << 20, encoding="utf-8")
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with server:
        try:
            await asyncio.wait_for(stop.wait(), 600)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
