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

  it('sizes the PostgreSQL pool and turns named statements off only when told, refusing a pool out of 2–100', () => {
    expect(loadConfig({})).to.include({ pgPoolSize: 10, pgNamedStatements: true });
    expect(loadConfig({ PG_POOL_SIZE: '4', PG_NAMED_STATEMENTS: '0' })).to.include({ pgPoolSize: 4, pgNamedStatements: false });
    expect(() => loadConfig({ PG_POOL_SIZE: '1' })).to.throw(ConfigError, /PG_POOL_SIZE/);
    expect(() => loadConfig({ PG_NAMED_STATEMENTS: 'yes' })).to.throw(ConfigError, /PG_NAMED_STATEMENTS/);
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

  it('reads the fee schedule (basis points per side with a minimum), defaulting to 5 bps and RMB 1,000.00, and refuses a bad one', () => {
    expect(loadConfig({}).fees).to.deep.equal({ seller: { bps: '5', minimum: '1000.00' }, buyer: { bps: '5', minimum: '1000.00' } });
    expect(loadConfig({ FEE_SELLER_BPS: '7.5', FEE_SELLER_MIN: '2000.00', FEE_BUYER_BPS: '0', FEE_BUYER_MIN: '0.00' }).fees).to.deep.equal({
      seller: { bps: '7.5', minimum: '2000.00' },
      buyer: { bps: '0', minimum: '0.00' },
    });
    expect(() => loadConfig({ FEE_SELLER_BPS: '-1' })).to.throw(ConfigError, /FEE_SELLER_BPS/);
    expect(() => loadConfig({ FEE_BUYER_BPS: '1500' })).to.throw(ConfigError, /FEE_BUYER_BPS/);
    expect(() => loadConfig({ FEE_BUYER_MIN: '1000' })).to.throw(ConfigError, /FEE_BUYER_MIN/);
  });
});
