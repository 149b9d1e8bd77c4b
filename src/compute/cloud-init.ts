import { IStoragePool } from '../core/contracts';

/** A user that cloud-init creates in the guest. */
export interface CloudInitUser {
  /** The login name. */
  readonly name: string;
  /**
   * SSH public keys allowed to log in as this user.
   * @default - none
   */
  readonly sshAuthorizedKeys?: string[];
  /**
   * The sudo rule, e.g. `ALL=(ALL) NOPASSWD:ALL`; an empty string gives no sudo.
   * @default 'ALL=(ALL) NOPASSWD:ALL'
   */
  readonly sudo?: string;
  /**
   * Supplementary groups.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * The login shell.
   * @default '/bin/bash'
   */
  readonly shell?: string;
  /**
   * The password as a crypt(3) hash (`mkpasswd -m sha-512`: `$6$...`, or yescrypt `$y$...`), or a
   * reference to a sensitive Terraform variable that holds such a hash. Plain-text passwords are
   * rejected: they would be written into cdk.tf.json.
   * @default - no password; SSH keys only
   */
  readonly hashedPassword?: string;
}

/** A file cloud-init writes in the guest (`write_files`). */
export interface CloudInitFile {
  /** Absolute path in the guest. */
  readonly path: string;
  /** The file's content (text). */
  readonly content: string;
  /**
   * Octal permissions, e.g. `0644`.
   * @default '0644'
   */
  readonly permissions?: string;
  /**
   * Owner, `user:group`.
   * @default 'root:root'
   */
  readonly owner?: string;
}

/**
 * What cloud-init sets up at first boot. The guest's hostname, users, packages, files and commands
 * go into `#cloud-config` user-data; static NIC addresses go into a network-config.
 */
export interface CloudInitOptions {
  /**
   * The guest's hostname.
   * @default - the guest's domain name
   */
  readonly hostname?: string;
  /**
   * Users to create.
   * @default - none (the image's default user, usually without a password)
   */
  readonly users?: CloudInitUser[];
  /**
   * Packages to install.
   * @default - none
   */
  readonly packages?: string[];
  /**
   * Refresh the package index and upgrade before installing `packages`.
   * @default false
   */
  readonly packageUpgrade?: boolean;
  /**
   * Files to write.
   * @default - none
   */
  readonly writeFiles?: CloudInitFile[];
  /**
   * Shell commands to run once at the end of first boot.
   * @default - none
   */
  readonly runcmd?: string[];
  /**
   * The pool the seed ISO is uploaded to.
   * @default - the boot disk's pool
   */
  readonly pool?: IStoragePool;
}
