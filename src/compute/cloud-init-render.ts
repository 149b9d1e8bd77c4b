import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { CloudInitOptions } from './cloud-init';
import { repeatedYamlDocument, yamlDocument } from './cloud-init-yaml';
import { ValidationError } from '../core/validation-error';

/*
 * Rendering and checks of cloud-init's NoCloud documents. Internal: not exported from the package.
 */

/** A NIC as the network-config needs it. */
export interface CloudInitNic {
  readonly mac: string;
  /** `address/prefix` for a static address; undefined for DHCP. */
  readonly cidr?: string;
  readonly gateway?: string;
  readonly nameservers?: string[];
}

/** cdktf's string encoding of a Token; kept as is so references resolve. */
const TOKEN_RE = /(\$\{TfToken\[[^\]]+\]\})/;
const CRYPT_RE = /^\$(1|2[abxy]?|5|6|y|gy|7|sha1|md5)\$[^\s]+$/;

/** Checks the options; throws ValidationError naming `scope` and the prop. */
export function validateCloudInit(scope: IConstruct, prop: string, options: CloudInitOptions): void {
  if (options.hostname !== undefined && !Token.isUnresolved(options.hostname)
    && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(options.hostname)) {
    throw new ValidationError(scope, `${prop}.hostname`, options.hostname, 'a host name of letters, digits and inner hyphens (RFC 1123)');
  }
  const names = new Set<string>();
  (options.users ?? []).forEach((u, i) => {
    if (!Token.isUnresolved(u.name) && !/^[a-z_][a-z0-9_-]{0,31}$/.test(u.name)) {
      throw new ValidationError(scope, `${prop}.users[${i}].name`, u.name, 'a Linux user name (lower-case letters, digits, "_" and "-", at most 32)');
    }
    if (names.has(u.name)) {
      throw new ValidationError(scope, `${prop}.users[${i}].name`, u.name, 'unique among the users');
    }
    names.add(u.name);
    const pw = u.hashedPassword;
    if (pw !== undefined && !Token.isUnresolved(pw) && !CRYPT_RE.test(pw)) {
      throw new ValidationError(scope, `${prop}.users[${i}].hashedPassword`, '***',
        'a crypt(3) hash such as "$6$salt$..." or a reference to a sensitive Terraform variable',
        'Plain-text passwords would be written into cdk.tf.json; hash it with `mkpasswd -m sha-512`.');
    }
    (u.sshAuthorizedKeys ?? []).forEach((k, j) => {
      if (!Token.isUnresolved(k) && !/^(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( .*)?$/.test(k.trim())) {
        throw new ValidationError(scope, `${prop}.users[${i}].sshAuthorizedKeys[${j}]`, k,
          'an OpenSSH public key such as "ssh-ed25519 AAAA... user@host"');
      }
    });
  });
  (options.writeFiles ?? []).forEach((f, i) => {
    if (!Token.isUnresolved(f.path) && !f.path.startsWith('/')) {
      throw new ValidationError(scope, `${prop}.writeFiles[${i}].path`, f.path, 'an absolute path');
    }
    if (f.permissions !== undefined && !/^0?[0-7]{3,4}$/.test(f.permissions)) {
      throw new ValidationError(scope, `${prop}.writeFiles[${i}].permissions`, f.permissions, 'octal permissions such as "0644"');
    }
  });
}

/**
 * Escapes Terraform template syntax in literal text, so `${HOME}` in a command reaches the guest
 * as written. Tokens inside the text are left alone (they are meant to be interpolated).
 */
function literal(text: string): string {
  return String(text).split(TOKEN_RE).map((part) => (TOKEN_RE.test(part)
    ? part
    : part.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{'))).join('');
}


/** The `#cloud-config` user-data. */
export function renderUserData(options: CloudInitOptions, hostname: string): string {
  // The host name changes from guest to guest, the rest is usually the same for a whole cluster.
  const head = { hostname: literal(hostname), preserve_hostname: false };
  const config: Record<string, unknown> = {};
  if (options.users && options.users.length > 0) {
    config.users = options.users.map((u) => {
      const user: Record<string, unknown> = { name: literal(u.name) };
      if (u.sudo !== '') user.sudo = literal(u.sudo ?? 'ALL=(ALL) NOPASSWD:ALL');
      if (u.groups && u.groups.length) user.groups = u.groups.map(literal).join(', ');
      user.shell = literal(u.shell ?? '/bin/bash');
      if (u.hashedPassword !== undefined) {
        user.lock_passwd = false;
        user.passwd = literal(u.hashedPassword);
      } else {
        user.lock_passwd = true;
      }
      if (u.sshAuthorizedKeys && u.sshAuthorizedKeys.length) {
        user.ssh_authorized_keys = u.sshAuthorizedKeys.map((k) => literal(k.trim()));
      }
      return user;
    });
    config.ssh_pwauth = options.users.some((u) => u.hashedPassword !== undefined);
  }
  if (options.packageUpgrade) {
    config.package_update = true;
    config.package_upgrade = true;
  }
  if (options.packages && options.packages.length) {
    config.packages = options.packages.map(literal);
    if (!options.packageUpgrade) config.package_update = true;
  }
  if (options.writeFiles && options.writeFiles.length) {
    config.write_files = options.writeFiles.map((f) => ({
      path: literal(f.path),
      content: literal(f.content),
      permissions: f.permissions ?? '0644',
      owner: literal(f.owner ?? 'root:root'),
    }));
  }
  if (options.runcmd && options.runcmd.length) {
    config.runcmd = options.runcmd.map(literal);
  }
  const rest = Object.keys(config).length > 0 ? repeatedYamlDocument(config) : '';
  return `#cloud-config\n${yamlDocument(head)}${rest}`;
}

/** The NoCloud meta-data. */
export function renderMetaData(instanceId: string, hostname: string): string {
  return yamlDocument({ 'instance-id': literal(instanceId), 'local-hostname': literal(hostname) });
}

/**
 * A network-config (version 2) matching NICs by MAC: static addresses where given, DHCP elsewhere.
 * Undefined when there are no NICs.
 */
export function renderNetworkConfig(nics: CloudInitNic[]): string | undefined {
  if (nics.length === 0) return undefined;
  const ethernets: Record<string, unknown> = {};
  nics.forEach((nic, i) => {
    const eth: Record<string, unknown> = { match: { macaddress: nic.mac } };
    if (nic.cidr) {
      eth.dhcp4 = false;
      eth.addresses = [nic.cidr];
      if (nic.gateway) eth.routes = [{ to: 'default', via: nic.gateway }];
      if (nic.nameservers && nic.nameservers.length) eth.nameservers = { addresses: nic.nameservers };
    } else {
      eth.dhcp4 = true;
    }
    ethernets[`nic${i}`] = eth;
  });
  return yamlDocument({ version: 2, ethernets });
}
