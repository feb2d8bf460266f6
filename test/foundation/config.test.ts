import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('defaults to port 3000, a SQLite file under ./data and the real clock, and freezes the result', () => {
    const c = loadConfig({});
    expect(c.port).to.equal(3000);
    expect(c.databaseUrl).to.match(/^sqlite:.*data[\\/]exchange\.sqlite$/);
    expect(c.clock).to.equal('real');
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('accepts sqlite: and postgres:// URLs and refuses anything else with a clear message', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).databaseUrl).to.equal('postgres://u@h:5432/db');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).to.throw(ConfigError, /DATABASE_URL/);
  });

  it('refuses a bad port, a bad clock and a short signing key', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ CLOCK: 'fast' })).to.throw(ConfigError, /CLOCK/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).to.throw(ConfigError, /JWT_SECRET/);
  });

  it('refuses to start in production without a configured signing key or sealed-bid key, or with the simulated clock', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /JWT_SECRET: required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).to.throw(ConfigError, /SEALED_BID_KEY: required/);
    const keys = { JWT_SECRET: 'x'.repeat(40), SEALED_BID_KEY: 'y'.repeat(40) };
    expect(() => loadConfig({ NODE_ENV: 'production', ...keys, CLOCK: 'simulated' })).to.throw(ConfigError, /CLOCK/);
    expect(() => loadConfig({ ...keys, SEALED_BID_KEY: 'short' })).to.throw(ConfigError, /SEALED_BID_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).production).to.equal(true);
  });
});
