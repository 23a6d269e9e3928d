#!/usr/bin/python3
"""python3-hl7's MLLP client as the sending system, for record.sh and flow's
TestHL7ServerLiveCapture.

Reads HL7 messages from stdin, separated by FS (0x1C), and sends each as it
is (python3-hl7's HL7StreamWriter.writeblock) on one connection to
127.0.0.1:PORT, waiting for its ACK (HL7StreamReader.readmessage) before the
next. Prints MSA-1 and MSA-2 of each ACK, one line per message.
usage: hl7_client.py PORT < messages
"""
import asyncio
import sys

import hl7
import hl7.mllp


async def main(port, messages):
    # Frames up to 1 MiB (asyncio streams stop at 64 KiB by default).
    reader, writer = await hl7.mllp.open_hl7_connection("127.0.0.1", port, limit=1 << 20, encoding="utf-8")
    try:
        for m in messages:
            writer.writeblock(m.encode("utf-8"))
            await writer.drain()
            ack = await asyncio.wait_for(reader.readmessage(), 10)
            msa = ack.segment("MSA")
            print(msa(1), msa(2), flush=True)
    finally:
        writer.close()
        await writer.wait_closed()


if __name__ == "__main__":
    msgs = [m for m in sys.stdin.buffer.read().decode("utf-8").split("\x1c") if m]
    asyncio.run(main(int(sys.argv[1]), msgs))
