#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Chromium's DevTools opens the HAR that minisock-cli exports.

Each scenario runs twice through the built minisock-cli: once as JSON Lines, the timeline that
says what each task sent and received, and once as HAR. Headless Chromium then loads its own
DevTools front end (devtools://devtools/bundled/devtools_app.html) and, inside it, runs the
Network panel's "Import HAR" code on the file: JSON.parse, HARFormat.HARRoot and
Importer.requestsFromHARLog from models/har/har.js. What the importer builds is what the panel
lists, so the test compares it with the timeline: one WebSocket request per task with its URL,
status and remote address, and each message's direction, opcode, data and time, in order. It
also opens each socket's Messages tab (ResourceWebSocketFrameView) and reads its rows: the
arrow's direction, Data ("Binary message" for binary), Length and Time, sorted as DevTools
sorts them.

DevTools skips a message it cannot read instead of failing, so a bad field shows up as a missing
or changed message. The last tests corrupt one field at a time and check that this test notices,
and replay, with minisock-cli, the HAR that DevTools writes back from what it imported.

Chromium is driven over --remote-debugging-pipe (the DevTools protocol as NUL-separated JSON on
file descriptors 3 and 4), so no port is opened and only the standard library is needed. Output
is TAP. Without Chromium the whole test is skipped.
"""

import base64
import concurrent.futures
import copy
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

SRCDIR = os.environ.get('G_TEST_SRCDIR', os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SRCDIR)
CLI = os.environ.get('MINISOCK_CLI', os.path.join(ROOT, '_build', 'src', 'cli', 'minisock-cli'))
DEVTOOLS_URL = 'devtools://devtools/bundled/devtools_app.html'

# Every scenario with what its tasks must show in DevTools, keyed by the path and query each
# task connected to: the status, then (type, opcode, data) per message, binary data in base64.
# The timeline of the same scenario must say the same; these literals guard against the
# exporter and the timeline going wrong together.
SCENARIOS = [
    ('echo', os.path.join(ROOT, 'data', 'scenarios', 'echo.json'), {
        '/echo': (101, [('send', 1, 'hello'), ('receive', 1, 'hello')]),
    }),
    ('binary-payload', os.path.join(ROOT, 'data', 'scenarios', 'binary-payload.json'), {
        '/echo': (101, [('send', 2, 'TVNLAQD/f4A='), ('receive', 2, 'TVNLAQD/f4A=')]),
    }),
    ('server-drop-heartbeat', os.path.join(ROOT, 'data', 'scenarios',
                                           'server-drop-heartbeat.json'), {
        '/echo?drop_after=3': (101, [('send', 1, 'ping'), ('receive', 1, 'ping')] * 3),
        '/echo': (101, [('send', 1, 'ping'), ('receive', 1, 'ping')]),
    }),
    # The walk-through: the socket is closed before its handshake is answered. Whether
    # the delayed answer lands before the run ends depends on the machine, so its status is
    # only compared with the HAR's own.
    ('close-before-open', os.path.join(ROOT, 'data', 'scenarios', 'close-before-open.json'), {
        '/echo?delay_open_ms=500': (None, []),
    }),
    ('two-tasks', os.path.join(SRCDIR, 'har', 'devtools-tasks.json'), {
        '/echo?lane=text': (101, [('send', 1, '你好, task 1'), ('receive', 1, '你好, task 1'),
                                  ('send', 1, '{"n":2}'), ('receive', 1, '{"n":2}')]),
        '/echo?lane=binary': (101, [('send', 2, 'AAEC/v8='), ('receive', 2, 'AAEC/v8='),
                                    ('send', 2, 'TVNL'), ('receive', 2, 'TVNL')]),
        '/echo?status=403': (403, []),
    }),
]

# Runs in the DevTools page: the Network panel's HAR import, then what it built, as plain data.
IMPORT_JS = r'''
(async (text) => {
  const HAR = await import('./models/har/har.js');
  const root = new HAR.HARFormat.HARRoot(JSON.parse(text));
  const requests = HAR.Importer.Importer.requestsFromHARLog(root.log);
  const header = (headers, name) => {
    const found = headers.find(h => h.name.toLowerCase() === name.toLowerCase());
    return found ? found.value : null;
  };
  const shown = requests.map(r => ({
    url: r.url(),
    resourceType: r.resourceType().name(),
    status: r.statusCode,
    statusText: r.statusText,
    remoteAddress: r.remoteAddress(),
    host: header(r.requestHeaders(), 'Host'),
    issueTime: r.issueTime(),
    endTime: r.endTime,
    frames: r.frames().map(f => ({type: f.type, opcode: f.opCode, data: f.text, time: f.time})),
  }));
  // The Messages tab of each socket: the grid's rows as the user reads them.
  const Network = await import('./panels/network/network.js');
  const gridRows = (node, rows) => {
    if (node.shadowRoot) {
      gridRows(node.shadowRoot, rows);
    }
    for (const child of node.children) {
      if (child.tagName === 'TR' && child.classList.contains('data-grid-data-grid-node')) {
        const type = /-row-(send|receive|error)\b/.exec(child.className);
        rows.push([type ? type[1] : child.className,
                   ...[...child.querySelectorAll('td')].slice(0, 3).map(td => td.innerText)]);
      } else {
        gridRows(child, rows);
      }
    }
    return rows;
  };
  for (const [i, request] of requests.entries()) {
    if (request.resourceType().name() !== 'websocket') {
      continue;
    }
    const view = new Network.ResourceWebSocketFrameView.ResourceWebSocketFrameView(request);
    view.markAsRoot();
    view.show(document.body);
    let rows = [];
    for (const started = Date.now(); Date.now() - started < 5000;) {
      rows = gridRows(view.element, []);
      if (rows.length >= request.frames().length) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    shown[i].rows = rows;
    view.detach();
  }

  const written = await HAR.Log.Log.build(requests, {sanitize: false});
  return {requests: shown, har: {log: written}};
})
'''


class Failure(Exception):
    pass


class Chromium:
    """Headless Chromium and one DevTools protocol session on its DevTools page."""

    def __init__(self, program, workdir):
        self.profile = os.path.join(workdir, 'profile')
        self.log_path = os.path.join(workdir, 'chromium.log')
        to_child, self.to_chromium = os.pipe()
        self.from_chromium, from_child = os.pipe()

        def child_fds():
            # Move both ends above 4 first: a pipe may sit on 3 or 4 already, and dup2 onto
            # itself would keep its close-on-exec flag.
            readable = fcntl.fcntl(to_child, fcntl.F_DUPFD_CLOEXEC, 10)
            writable = fcntl.fcntl(from_child, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(readable, 3)
            os.dup2(writable, 4)

        # A container's /dev/shm can be too small for Chromium: --disable-dev-shm-usage.
        args = [program, '--headless=new', '--remote-debugging-pipe',
                '--user-data-dir=' + self.profile, '--no-first-run', '--no-default-browser-check',
                '--disable-gpu', '--disable-dev-shm-usage', '--disable-extensions',
                '--disable-background-networking', '--disable-component-update',
                '--disable-sync', 'about:blank']
        # As root Chromium refuses to start sandboxed; it only loads its own DevTools here.
        if os.geteuid() == 0:
            args.insert(1, '--no-sandbox')
        # The Messages tab shows local times in the UI's language: make both known.
        args.insert(1, '--lang=en-US')
        env = dict(os.environ, TZ='UTC')
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=log, env=env,
                                            preexec_fn=child_fds, close_fds=False)
        os.close(to_child)
        os.close(from_child)
        self.buffer = b''
        self.next_id = 0
        self.session = None

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        message = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session is not None:
            message['sessionId'] = session
        data = json.dumps(message).encode() + b'\0'
        try:
            while data:
                data = data[os.write(self.to_chromium, data):]
        except BrokenPipeError:
            raise Failure(f'{method}: Chromium has exited\n' + self.log())
        deadline = time.monotonic() + timeout
        while True:
            while b'\0' not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.from_chromium], [], [], left)[0]:
                    raise Failure(f'{method}: no answer from Chromium within {timeout} s')
                chunk = os.read(self.from_chromium, 1 << 20)
                if not chunk:
                    raise Failure(f'{method}: Chromium closed the pipe\n' + self.log())
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b'\0', 1)
            answer = json.loads(line)
            if answer.get('id') != self.next_id:
                continue  # an event
            if 'error' in answer:
                raise Failure(f'{method}: {answer["error"]}')
            return answer['result']

    def open_devtools(self):
        target = self.call('Target.createTarget', {'url': DEVTOOLS_URL})['targetId']
        self.session = self.call('Target.attachToTarget',
                                 {'targetId': target, 'flatten': True})['sessionId']
        deadline = time.monotonic() + 30
        state = None
        while time.monotonic() < deadline:
            state = self.evaluate('location.href + " " + document.readyState')
            if state == DEVTOOLS_URL + ' complete':
                return
            time.sleep(0.1)
        raise Failure(f'the DevTools page did not load: {state}')

    def evaluate(self, expression, timeout=30):
        result = self.call('Runtime.evaluate',
                           {'expression': expression, 'awaitPromise': True,
                            'returnByValue': True}, self.session, timeout)
        if 'exceptionDetails' in result:
            details = result['exceptionDetails']
            raise Failure('DevTools threw: '
                          + details.get('exception', {}).get('description', details.get('text')))
        return result['result'].get('value')

    def import_har(self, text):
        return self.evaluate(IMPORT_JS + '(' + json.dumps(text) + ')')

    def log(self):
        with open(self.log_path, errors='replace') as log:
            return 'Chromium said:\n' + log.read()[-2000:]

    def close(self):
        try:
            self.call('Browser.close', timeout=10)
        except Failure:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_chromium)
        os.close(self.from_chromium)


QUEUE = concurrent.futures.ThreadPoolExecutor(max_workers=1)


def run_cli(*args):
    command = 'minisock-cli ' + ' '.join(args)
    try:
        done = subprocess.run([CLI, *args], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise Failure(f'{command} did not end within 60 s')
    if done.returncode != 0:
        raise Failure(f'{command} exited with {done.returncode}: '
                      + done.stderr.decode(errors='replace'))
    return done.stdout.decode()


def run_scenario(scenario, literal):
    """The scenario's timeline and HAR, from two runs.

    A run ends after the scenario's until.idle without an event, and that clock runs while the
    process waits for the CPU: on a loaded machine a run can end before its handshake has gone
    out (seen with binary-payload while Chromium started: "idle for 300 ms" at 476 ms, with no
    handshake). Such a run has nothing to show DevTools, so it is run again, at most twice,
    and the test says so; what is compared afterwards is unchanged."""
    notes = []
    for attempt in range(3):
        jsonl = run_cli('run', scenario, '--format', 'jsonl')
        har = run_cli('run', scenario, '--format', 'har')
        timeline = timeline_tasks(jsonl)
        entries = json.loads(har).get('log', {}).get('entries', [])
        reached = {task['target'] for task in timeline}
        exported = {re.sub(r'^ws://[^/]+', '', e['request']['url']) for e in entries}
        missing = set(literal) - (reached & exported)
        if not missing:
            break
        last = jsonl.strip().splitlines()[-1:] or ['no events']
        notes.append(f'run {attempt + 1} ended before the handshake of {sorted(missing)} went '
                     f'out: {last[0]}')
    return timeline, har, notes


def run_in_background(function, *args):
    """One minisock-cli at a time, in a thread, so the runs overlap Chromium's start but not
    each other."""
    return QUEUE.submit(function, *args)


def timeline_tasks(jsonl):
    """Per task whose handshake went out: its path and query, status and messages, from the
    wire events of the timeline."""
    tasks = {}
    for line in jsonl.splitlines():
        event = json.loads(line)
        wire = event.get('wire')
        if event.get('kind') != 'wire' or event.get('task') is None:
            continue
        if wire == 'handshake-request':
            target = event['text'].split(' ')[1]
            tasks[event['task']] = {'target': target, 'status': 0, 'messages': []}
        elif event['task'] not in tasks:
            continue
        task = tasks[event['task']]
        if wire == 'handshake-response':
            task['status'] = event.get('code', 0)
        elif wire.startswith('frame-out') or wire.startswith('frame-in'):
            data = event.get('data', '')
            binary = wire.endswith('-binary')
            if binary:
                data = data['base64'] if isinstance(data, dict) else ''
            task['messages'].append(('send' if wire.startswith('frame-out') else 'receive',
                                     2 if binary else 1, data))
    return list(tasks.values())


def message_row(message):
    """A message as a row of DevTools' Messages tab: direction, Data, Length and Time (UTC)."""
    if message['opcode'] == 1:
        data = message['data']
        length = str(len(data.encode('utf-16-le')) // 2)  # JavaScript's string length
    else:
        data = 'Binary message'
        size = len(base64.b64decode(message['data']))
        if size >= 1000:
            raise Failure(f'this test formats lengths under 1000 B only, not {size} B')
        length = f'{size}\u00a0B'  # DevTools puts a no-break space before the unit
    # new Date(seconds * 1000) drops the fraction of the millisecond.
    seconds, milliseconds = divmod(int(message['time'] * 1000), 1000)
    clock = time.strftime('%H:%M:%S', time.gmtime(seconds)) + f'.{milliseconds:03d}'
    return [message['type'], data, length, clock]


def check_devtools(name, har, shown, timeline, literal):
    """What DevTools built from the HAR against what the timeline sent and received."""
    problems = []
    entries = har['log']['entries']
    requests = shown['requests']

    if len(requests) != len(timeline):
        problems.append(f'DevTools lists {len(requests)} requests, the timeline has '
                        f'{len(timeline)} tasks that sent a handshake')
    by_target = {}
    for request in requests:
        match = re.fullmatch(r'ws://([^/]+)(/.*)', request['url'])
        if match is None:
            problems.append(f'DevTools shows the URL {request["url"]!r}')
            continue
        by_target.setdefault(match.group(2), []).append((match.group(1), request))

    in_har = {}
    for entry in entries:
        in_har[re.sub(r'^ws://[^/]+', '', entry['request']['url'])] = entry

    missing = set(literal) - {task['target'] for task in timeline}
    if missing:
        problems.append(f'{name}: the timeline has no handshake for {sorted(missing)}')
    for task in timeline:
        target = task['target']
        where = f'{name} {target}'
        found = by_target.get(target, [])
        if len(found) != 1:
            problems.append(f'{where}: DevTools shows {len(found)} requests for this task')
            continue
        authority, request = found[0]
        status, messages = literal.get(target, (None, None))
        if messages is None:
            problems.append(f'{where}: a task this test does not expect')
            continue
        if request['resourceType'] != 'websocket':
            problems.append(f'{where}: resource type {request["resourceType"]!r}, not websocket')
        if request['host'] != authority:
            problems.append(f'{where}: URL on {authority}, Host header {request["host"]!r}')
        if request['remoteAddress'] != authority:
            problems.append(f'{where}: remote address {request["remoteAddress"]!r}, '
                            f'expected {authority}')
        if status is not None and task['status'] != status:
            problems.append(f'{where}: the timeline answered {task["status"]}, expected {status}')
        entry = in_har.get(target)
        if entry is None:
            problems.append(f'{where}: the HAR has no entry for this task')
            continue
        if request['status'] != entry['response']['status']:
            problems.append(f'{where}: DevTools shows status {request["status"]}, the HAR says '
                            f'{entry["response"]["status"]}')
        if status is not None and request['status'] != status:
            problems.append(f'{where}: DevTools shows status {request["status"]}, '
                            f'expected {status}')

        frames = request['frames']
        got = [(f['type'], f['opcode'], f['data']) for f in frames]
        if got != task['messages']:
            problems.append(f'{where}: DevTools shows the messages {got}, the timeline has '
                            f'{task["messages"]}')
        if task['messages'] != messages:
            problems.append(f'{where}: the timeline has the messages {task["messages"]}, '
                            f'expected {messages}')
        written = entry.get('_webSocketMessages', [])
        times = [f['time'] for f in frames]
        if times != [m.get('time') for m in written]:
            problems.append(f'{where}: DevTools has the message times {times}, the HAR '
                            f'{[m.get("time") for m in written]}')
        # The Messages tab, sorted by time as DevTools sorts it: the timeline's order.
        try:
            rows = [message_row(m) for m in written]
        except (KeyError, TypeError, ValueError) as error:
            rows = [f'a message DevTools cannot show: {error!r}']
        if request.get('rows') != rows:
            problems.append(f'{where}: the Messages tab shows {request.get("rows")}, expected '
                            f'{rows}')
        # On the wall clock, in order, inside the request's bar in the waterfall.
        previous = request['issueTime']
        for i, frame in enumerate(frames):
            if not previous - 1e-6 <= frame['time'] <= request['endTime'] + 1e-6:
                problems.append(f'{where}: message {i} at {frame["time"]:.6f} s, outside '
                                f'{previous:.6f}..{request["endTime"]:.6f}')
            previous = frame['time']
    return problems


def start_replay(name, devtools_har, workdir):
    """minisock-cli replays the HAR that DevTools wrote back, against the playground's echo."""
    path = os.path.join(workdir, name + '-devtools.har')
    with open(path, 'w') as out:
        json.dump(devtools_har, out)
    return run_in_background(run_cli, 'replay', path, '--url', '{playground}/echo',
                             '--format', 'jsonl')


def replay_problems(name, replay, timeline):
    """Every task of the replay sends what the recording's task sent."""
    replayed = timeline_tasks(replay.result())
    sent = sorted([m for m in task['messages'] if m[0] == 'send'] for task in timeline)
    again = sorted([m for m in task['messages'] if m[0] == 'send'] for task in replayed)
    if sent != again:
        return [f'{name}: the replay of DevTools\' HAR sent {again}, the recording sent {sent}']
    return []


# One field of the first message at a time, as a broken exporter could write it.
CORRUPTIONS = [
    ('type', lambda m: m.update(type='sent')),
    ('opcode', lambda m: m.update(opcode=2 if m['opcode'] == 1 else 1)),
    ('data', lambda m: m.update(data=m['data'] + ' ')),
    ('time', lambda m: m.update(time=m['time'] + 3600)),
    ('no time', lambda m: m.pop('time')),
]


def main():
    program = os.environ.get('MINISOCK_CHROMIUM') or shutil.which('chromium') \
        or shutil.which('chromium-browser')
    if program is None:
        print('1..0 # SKIP chromium is not installed (Debian package chromium)')
        return 0

    tests = [name for name, _, _ in SCENARIOS]
    tests += ['replay-' + name for name, _, _ in SCENARIOS]
    tests += ['corrupt-' + what.replace(' ', '-') for what, _ in CORRUPTIONS]
    print(f'1..{len(tests)}', flush=True)
    number = 0
    failed = 0

    def report(test, problems):
        nonlocal number, failed
        number += 1
        print(('ok' if not problems else 'not ok') + f' {number} /har-devtools/{test}')
        for problem in problems:
            print('# ' + problem.replace('\n', '\n# '))
        failed += bool(problems)
        sys.stdout.flush()

    workdir = tempfile.mkdtemp(prefix='minisock-devtools-')
    chromium = None
    runs = {name: run_in_background(run_scenario, scenario, literal)
            for name, scenario, literal in SCENARIOS}
    try:
        chromium = Chromium(program, workdir)
        version = chromium.call('Browser.getVersion')['product']
        print(f'# {version}, {DEVTOOLS_URL}')
        chromium.open_devtools()

        results = {}
        for name, scenario, literal in SCENARIOS:
            try:
                timeline, text, notes = runs[name].result()
                for note in notes:
                    print(f'# {name}: {note}')
                shown = chromium.import_har(text)
                results[name] = (json.loads(text), shown, timeline)
                report(name, check_devtools(name, json.loads(text), shown, timeline, literal))
            except Failure as error:
                report(name, [str(error)])

        replays = {name: start_replay(name, result[1]['har'], workdir)
                   for name, result in results.items()}
        for name, _, _ in SCENARIOS:
            if name not in results:
                report('replay-' + name, ['no DevTools import to replay'])
                continue
            try:
                report('replay-' + name, replay_problems(name, replays[name], results[name][2]))
            except Failure as error:
                report('replay-' + name, [str(error)])

        # The check above must catch a HAR that DevTools reads differently.
        har, _, timeline = results.get('echo', (None, None, None))
        for what, corrupt in CORRUPTIONS:
            if har is None:
                report('corrupt-' + what.replace(' ', '-'), ['no echo HAR to corrupt'])
                continue
            broken = copy.deepcopy(har)
            try:
                corrupt(broken['log']['entries'][0]['_webSocketMessages'][0])
            except (IndexError, KeyError):
                report('corrupt-' + what.replace(' ', '-'), ['the echo HAR has no message'])
                continue
            try:
                shown = chromium.import_har(json.dumps(broken))
                caught = check_devtools('echo', broken, shown, timeline, SCENARIOS[0][2])
            except Failure as error:
                caught = [str(error)]
            print(f'# corrupted {what}: ' + ('; '.join(caught) if caught else 'not noticed'))
            report('corrupt-' + what.replace(' ', '-'),
                   [] if caught else [f'a HAR with a corrupted message {what} passed'])
    except Failure as error:
        while number < len(tests):
            report(tests[number], [str(error)] + ([chromium.log()] if chromium else []))
    finally:
        QUEUE.shutdown(cancel_futures=True)
        if chromium is not None:
            chromium.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
