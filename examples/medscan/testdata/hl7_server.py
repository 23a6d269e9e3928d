#!/usr/bin/python3
"""Tiny HL7 v2 MLLP receiver for record.sh: ACKs every message with AA.

Plays the hospital's interface engine. Listens on 127.0.0.1 only.
usage: hl7_server.py PORT
"""
import asyncio
import signal
import sys

import hl7
import hl7.mllp

RECEIVER_APP, RECEIVER_FAC = "IFACE_ENGINE", "ST_EXAMPLE_GH"


async def handle(reader, writer):
    peer = writer.get_extra_info("peername")
    try:
        while not writer.is_closing():
            msg = await reader.readmessage()
            msh = msg.segment("MSH")
            ctrl = str(msh(10))
            ack = msg.create_ack("AA", message_id="ACK" + ctrl,
                                 application=RECEIVER_APP, facility=RECEIVER_FAC)
            writer.writemessage(ack)
            await writer.drain()
            print("hl7_server: %s %s from %s -> AA" % (msh(9), ctrl, peer), flush=True)
    except asyncio.IncompleteReadError:
        pass  # peer closed the connection
    except Exception as e:  # noqa: BLE001 - keep serving other clients
        print("hl7_server: %s: %r" % (peer, e), file=sys.stderr, flush=True)
    finally:
        writer.close()


async def main(port):
    server = await hl7.mllp.start_hl7_server(handle, "127.0.0.1", port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    print("hl7_server: listening on 127.0.0.1:%d" % port, flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
