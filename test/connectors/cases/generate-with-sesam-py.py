# Run sesam-py 2.11.13's connectorpy on a hand-made connector case and record what it writes.
# Usage: extract connector_cli/ of sesam-py e66bc18 (2.11.13) to /tmp/sesampy, then from this folder:
#   python3 generate-with-sesam-py.py <case>   (Jinja2 3.1.6 was used)
import io, json, logging, os, shutil, sys
sys.path.insert(0, '/tmp/sesampy')
from connector_cli import connectorpy

case = sys.argv[1]
src = os.path.join(case, 'input')
out = os.path.join(case, 'sesam-py')
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
log = io.StringIO()
h = logging.StreamHandler(log); h.setFormatter(logging.Formatter('%(message)s'))
connectorpy.logger.addHandler(h); connectorpy.logger.setLevel(logging.INFO)

def run(name, fn):
    work = os.path.join('/tmp/gen-work', name)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(src, work)
    cwd = os.getcwd(); os.chdir(work)
    log.seek(0); log.truncate()
    try:
        fn()
        code = 0
    except Exception as e:
        code = 1
        log.write('FAILED: %r\n' % e)
    os.chdir(cwd)
    dest = os.path.join(out, name)
    shutil.copytree(work, dest)
    with open(os.path.join(out, name + '.log'), 'w') as f:
        f.write(log.getvalue())
    print(name, code)

run('expand', lambda: connectorpy.expand_connector())
run('expand-acme-prod-out', lambda: connectorpy.expand_connector('acme', 'out/exp', 'prod'))
def collapse():
    connectorpy.expand_connector()
    connectorpy.collapse_connector('.', 'xxxxxx', '.expanded')
run('collapse', collapse)
