// glue-local console: workflows, a workflow's run history, and a run's graph with Resume.
// Every read and the resume go through the Glue JSON 1.1 API, signed (src/glue.ts).

import './style.css';
import { workflowsHref } from './links';
import { route } from './router';

window.addEventListener('hashchange', route);
if (!location.hash) history.replaceState(null, '', workflowsHref());
route();
