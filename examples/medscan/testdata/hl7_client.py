#!/usr/bin/python3
"""HL7 v2 MLLP senders for record.sh: a registration system (ADT^A01, ADT^A08)
and an order-entry system (ORM^O01), each on its own connection, waiting for
the ACK of every message. Patients and values are fake. Timestamps and control
IDs are fixed so that the capture is reproducible.
usage: hl7_client.py PORT [adt|orm]
With adt or orm only that system sends (record.sh captures each system on its
own and gives it its own address); with neither, both do, one after the other.
"""
import asyncio
import sys

import hl7
import hl7.mllp


def msg(*segments):
    return hl7.parse("\r".join(segments) + "\r")


ADT_A01 = msg(
    "MSH|^~\\&|REG_ADT|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129080102||ADT^A01^ADT_A01|MSG00001|P|2.5.1",
    "EVN|A01|20261129080100",
    "PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q||19750314|F|||12 ELM STREET^^SPRINGFIELD^IL^62701^USA||^PRN^PH^^1^217^5550142|||M||ACCT55501^^^SEGH^AN|999-00-1234",
    "NK1|1|DOE^JOHN|SPO^Spouse^HL70063|12 ELM STREET^^SPRINGFIELD^IL^62701^USA|^PRN^PH^^1^217^5550143",
    "PV1|1|I|4W^412^B^SEGH||||1234^HOUSE^GREGORY^^^DR|||MED||||1|||1234^HOUSE^GREGORY^^^DR|IN||||||||||||||||||||||||||20261129080000",
    "AL1|1|DA|70618^PENICILLIN^RXNORM|SV|HIVES",
)
ADT_A08 = msg(
    "MSH|^~\\&|REG_ADT|ST_EXAMPLE_GH|IFACE_ENGINE|ST_EXAMPLE_GH|20261129081530||ADT^A08^ADT_A01|MSG00002|P|2.5.1",
    "EVN|A08|20261129081528",
    "PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q||19750314|F|||48 OAK AVENUE^APT 3^SPRINGFIELD^IL^62704^USA||^PRN^PH^^1^217^5550199|||M||ACCT55501^^^SEGH^AN|999-00-1234",
    "PV1|1|I|4W^415^A^SEGH||||1234^HOUSE^GREGORY^^^DR|||MED||||1|||1234^HOUSE^GREGORY^^^DR|IN||||||||||||||||||||||||||20261129080000",
)
ORM_O01 = msg(
    "MSH|^~\\&|CPOE|ST_EXAMPLE_GH|RIS|ST_EXAMPLE_GH|20261129082005||ORM^O01^ORM_O01|MSG00003|P|2.5.1",
    "PID|1||MRN100871^^^SEGH^MR||MUSTERMANN^MAX||19621102|M|||7 LINDEN ROAD^^SPRINGFIELD^IL^62702^USA",
    "PV1|1|O|RAD^^^SEGH||||5678^CUDDY^LISA^^^DR",
    "ORC|NW|ORD448812^CPOE|ACC20261129002^RIS||SC||^^^20261129090000^^R||20261129082000|||5678^CUDDY^LISA^^^DR",
    "OBR|1|ORD448812^CPOE|ACC20261129002^RIS|70553^MR BRAIN W/WO CONTRAST^CPT4|||20261129082000||||||HEADACHE, R/O MASS|||5678^CUDDY^LISA^^^DR||||||||MR|||^^^20261129090000^^R",
)


async def send(port, messages):
    reader, writer = await hl7.mllp.open_hl7_connection("127.0.0.1", port)
    try:
        for m in messages:
            writer.writemessage(m)
            await writer.drain()
            ack = await reader.readmessage()
            print("hl7_client: %s %s -> %s %s" % (m.segment("MSH")(9), m.segment("MSH")(10),
                                                  ack.segment("MSA")(1), ack.segment("MSA")(2)), flush=True)
            await asyncio.sleep(0.2)
    finally:
        writer.close()
        await writer.wait_closed()


async def main(port, which):
    if which in ("", "adt"):
        await send(port, [ADT_A01, ADT_A08])   # registration feed, one connection
    if which == "":
        await asyncio.sleep(0.3)
    if which in ("", "orm"):
        await send(port, [ORM_O01])            # order entry, another connection


if __name__ == "__main__":
    which = sys.argv[2] if len(sys.argv) > 2 else ""
    if which not in ("", "adt", "orm"):
        sys.exit("usage: hl7_client.py PORT [adt|orm]")
    asyncio.run(main(int(sys.argv[1]), which))
