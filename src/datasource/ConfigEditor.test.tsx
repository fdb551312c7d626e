import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { ConfigEditor } from './ConfigEditor';
import type { KiciSettings } from './configSettings';

function baseOptions(patch: Partial<KiciSettings> = {}): KiciSettings {
  return {
    id: 1,
    uid: 'kici',
    orgId: 1,
    name: 'KiCI',
    type: 'kici-ops-datasource',
    typeName: 'KiCI',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    ...patch,
  } as KiciSettings;
}

/** Holds the options like Grafana's settings page does, and records every change. */
function setup(initial: KiciSettings) {
  const changes: KiciSettings[] = [];
  function Harness() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { changes, last: () => changes[changes.length - 1], user: userEvent.setup() };
}

describe('ConfigEditor', () => {
  it('writes typed PostgreSQL settings into jsonData (numbers as numbers)', async () => {
    const { user, last } = setup(baseOptions());
    await user.type(screen.getByLabelText(/^Host/), 'postgres');
    await user.type(screen.getByLabelText(/^Port/), '6543');
    await user.type(screen.getByLabelText(/^Database/), 'kici');
    await user.type(screen.getByLabelText(/^User/), 'kici_reader');
    await user.type(screen.getByLabelText(/^Max connections/), '8');
    await user.type(screen.getByLabelText(/^Agent health port/), '8080');
    expect(last().jsonData).toEqual({
      pgHost: 'postgres',
      pgPort: 6543,
      pgDatabase: 'kici',
      pgUser: 'kici_reader',
      pgMaxConnections: 8,
      agentHealthPort: 8080,
    });
    expect(last().secureJsonData).toBeUndefined();
  });

  it('recommends a read-only database role', () => {
    setup(baseOptions());
    expect(screen.getByText('kici-admin db create-readonly-user')).toBeInTheDocument();
  });

  it('shows stored secrets as configured, never their value, and resets them', async () => {
    const { user, last, changes } = setup(
      baseOptions({ secureJsonFields: { pgPassword: true, adminToken: true, platformToken: false } })
    );
    const password = screen.getByLabelText(/^Password/) as HTMLInputElement;
    expect(password).toBeDisabled();
    expect(password.value).toBe('configured');
    expect((screen.getByLabelText(/^Admin token/) as HTMLInputElement).value).toBe('configured');
    expect((screen.getByLabelText(/^Platform token/) as HTMLInputElement).value).toBe('');

    const resets = screen.getAllByRole('button', { name: 'Reset' });
    expect(resets).toHaveLength(2);
    await user.click(resets[0]);
    expect(last().secureJsonFields.pgPassword).toBe(false);
    expect(last().secureJsonData).toEqual({ pgPassword: '' });

    await user.type(screen.getByLabelText(/^Password/), 's3cret');
    expect(last().secureJsonData).toEqual({ pgPassword: 's3cret' });
    // The admin token was never touched: no change carried a value for it.
    expect(changes.every((c) => c.secureJsonData?.adminToken === undefined)).toBe(true);
  });

  it('asks for a CA certificate only in verify-ca / verify-full', async () => {
    const { user, last } = setup(baseOptions());
    expect(screen.queryByLabelText('CA certificate')).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'verify-full' }));
    expect(last().jsonData.pgSslMode).toBe('verify-full');
    await user.type(screen.getByLabelText(/^CA certificate/), '-----BEGIN CERTIFICATE-----');
    expect(last().secureJsonData?.pgCaCert).toBe('-----BEGIN CERTIFICATE-----');
    await user.click(screen.getByRole('radio', { name: 'require' }));
    expect(screen.queryByLabelText('CA certificate')).not.toBeInTheDocument();
  });

  it('edits the orchestrator URL list: add, type, flag a bad URL, remove', async () => {
    const { user, last } = setup(baseOptions({ jsonData: { orchestratorUrls: ['http://kici-sim:4000'] } }));
    await user.click(screen.getByRole('button', { name: /Add orchestrator URL/ }));
    expect(last().jsonData.orchestratorUrls).toEqual(['http://kici-sim:4000', '']);

    await user.type(screen.getByLabelText('Orchestrator URL 2'), 'kici-sim:4001');
    expect(screen.getByText('Use http:// or https://')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Orchestrator URL 2'));
    await user.type(screen.getByLabelText('Orchestrator URL 2'), 'http://kici-sim:4001');
    expect(screen.queryByText('Use http:// or https://')).not.toBeInTheDocument();
    expect(last().jsonData.orchestratorUrls).toEqual(['http://kici-sim:4000', 'http://kici-sim:4001']);

    await user.click(screen.getByRole('button', { name: 'Remove orchestrator URL 1' }));
    expect(last().jsonData.orchestratorUrls).toEqual(['http://kici-sim:4001']);
    await user.click(screen.getByRole('button', { name: 'Remove orchestrator URL 1' }));
    expect(last().jsonData.orchestratorUrls).toBeUndefined();
    // With no URL left, one empty row stays to type into.
    expect(screen.getByLabelText('Orchestrator URL 1')).toHaveValue('');
  });

  it('sets the Platform and the discard role', async () => {
    const { user, last } = setup(baseOptions());
    await user.type(screen.getByLabelText(/^Platform URL/), 'https://platform.example.com');
    await user.type(screen.getByLabelText(/^Organization/), 'acme');
    await user.click(screen.getByRole('radio', { name: 'Editor' }));
    expect(last().jsonData).toEqual({
      platformUrl: 'https://platform.example.com',
      platformOrg: 'acme',
      discardMinRole: 'Editor',
    });
  });
});
