// Owns the dashboard's entry point: styles, the live feed, and mounting the app.
import { render } from 'preact';
import { App } from './app';
import { startFeed } from './live-feed';
import { loadSession } from './session';
import './styles.css';

startFeed();
void loadSession();
render(<App />, document.getElementById('app') as HTMLElement);
