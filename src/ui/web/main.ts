// The web app of `sesam ui`: three pages behind a hash router (#/history, #/tests, #/graph).
import { h, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { GraphPage } from './graph.js';
import { HistoryPage } from './history.js';
import { TestsPage } from './tests.js';

const PAGES = [
  { path: 'history', title: 'History', page: HistoryPage },
  { path: 'tests', title: 'Tests', page: TestsPage },
  { path: 'graph', title: 'Graph', page: GraphPage },
] as const;

const current = () => location.hash.replace(/^#\/?/, '') || 'history';

function App() {
  const [path, setPath] = useState(current());
  useEffect(() => {
    const onHash = () => setPath(current());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
  return h(
    'div',
    { class: 'app' },
    h(
      'header',
      null,
      h('span', { class: 'brand' }, 'sesam'),
      h(
        'nav',
        null,
        PAGES.map((p) =>
          h('a', { href: `#/${p.path}`, class: p === page ? 'active' : '', id: `nav-${p.path}` }, p.title),
        ),
      ),
    ),
    h('main', null, h(page.page, { key: page.path })),
  );
}

render(h(App, null), document.getElementById('app')!);
