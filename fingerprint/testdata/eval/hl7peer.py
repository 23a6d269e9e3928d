#!/usr/bin/python3
"""HL7 v2 over MLLP for record.sh, with python3-hl7's hl7.mllp.

  hl7peer.py server ADDR PORT       the interface engine: ACKs every message
                                    with AA until SIGTERM
  hl7peer.py send ADDR PORT FILE    a sending system: each message of FILE
                                    (segments one a line, messages separated
                                    by a blank line) on one connection,
                                    waiting for the ACK of each
"""
import asyncio
import signal
import sys

import hl7
import hl7.mllp


async def handle(reader, writer):
    try:
        while not writer.is_closing():
            msg = await reader.readmessage()
            ack = msg.create_ack("AA", message_id="ACK" + str(msg.segment("MSH")(10)),
                                 application="IFACE_ENGINE", facility="EVAL_HOSPITAL")
            writer.writemessage(ack)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass  # the sender closed the connection
    finally:
        writer.close()


async def server(addr, port):
    srv = await hl7.mllp.start_hl7_server(handle, addr, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with srv:
        await stop.wait()


async def send(addr, port, path):
    text = open(path).read().strip()
    msgs = [hl7.parse(m.strip().replace("\n", "\r") + "\r") for m in text.split("\n\n")]
    reader, writer = await hl7.mllp.open_hl7_connection(addr, port)
    for m in msgs:
        writer.writemessage(m)
        await writer.drain()
        ack = await asyncio.wait_for(reader.readmessage(), 10)
        if str(ack.segment("MSA")(1)) != "AA":
            sys.exit("hl7peer: message not accepted: %s" % ack)
    writer.close()
    await writer.wait_closed()
    print("hl7peer: sent %d messages" % len(msgs), flush=True)


if __name__ == "__main__":
    cmd, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == "server":
        asyncio.run(server(addr, port))
    else:
        asyncio.run(send(addr, port, sys.argv[4]))
