#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Receives N messages with Python's websockets and prints messages per second, timed from the
# connection attempt to the Nth message, as bench-ingest times its own clients.
import asyncio
import sys
import time

import websockets


async def receive(url, wanted):
    start = time.monotonic()
    received = 0
    async with websockets.connect(url, compression=None, ping_interval=None,
                                  max_size=None) as ws:
        async for _ in ws:
            received += 1
            if received == wanted:
                return wanted / (time.monotonic() - start)
    raise SystemExit(f'closed after {received} of {wanted} messages')


print(asyncio.run(receive(sys.argv[1], int(sys.argv[2]))))
