import { Token } from 'cdktf';
import { PoolSource, PoolType, StorageSecret } from '../../src/storage';

const secret = StorageSecret.fromUsage('client.libvirt secret');

describe('PoolSource', () => {
  test('maps each factory to its libvirt pool type', () => {
    expect(PoolSource.dir().poolType).toBe(PoolType.DIR);
    expect(PoolSource.fs({ device: '/dev/sdb1' }).poolType).toBe(PoolType.FS);
    expect(PoolSource.nfs({ host: 'nas', exportPath: '/x' }).poolType).toBe(PoolType.NETFS);
    expect(PoolSource.netfs({ host: 'nas', exportPath: '/x' }).poolType).toBe(PoolType.NETFS);
    expect(PoolSource.logical().poolType).toBe(PoolType.LOGICAL);
    expect(PoolSource.disk({ device: '/dev/sdc' }).poolType).toBe(PoolType.DISK);
    expect(PoolSource.iscsi({ host: 'san', targetIqn: 'iqn.2013-06.com.example:t' }).poolType).toBe(PoolType.ISCSI);
    expect(PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'libvirt', secret } }).poolType).toBe(PoolType.RBD);
    expect(PoolSource.zfs().poolType).toBe(PoolType.ZFS);
  });

  test('says which pool types hold files', () => {
    expect(PoolSource.dir().holdsFiles).toBe(true);
    expect(PoolSource.nfs({ host: 'nas', exportPath: '/x' }).holdsFiles).toBe(true);
    expect(PoolSource.logical().holdsFiles).toBe(false);
    expect(PoolSource.zfs().holdsFiles).toBe(false);
  });

  describe('fs', () => {
    test('throws when the device is missing', () => {
      expect(() => PoolSource.fs({} as any)).toThrow(/PoolSource.fs: 'device' must be an absolute device path, e.g. "\/dev\/sdb1", got undefined/);
    });

    test('throws when the device path is relative', () => {
      expect(() => PoolSource.fs({ device: 'sdb1' })).toThrow(/PoolSource.fs: 'device' must be an absolute path .*got "sdb1"/);
    });

    test('throws when the file system format is unknown', () => {
      expect(() => PoolSource.fs({ device: '/dev/sdb1', format: 'ntfs' as any })).toThrow(/'format' must be one of "auto", "ext2"/);
    });
  });

  describe('netfs', () => {
    test('throws when the host is missing', () => {
      expect(() => PoolSource.nfs({ exportPath: '/export' } as any)).toThrow(/PoolSource.nfs: 'host' must be the file server's host name or address, got undefined/);
    });

    test('throws when the host is not a host name', () => {
      expect(() => PoolSource.nfs({ host: 'nas 01', exportPath: '/export' })).toThrow(/'host' must be a host name or IP address.*got "nas 01"/);
    });

    test('throws when the export path is missing', () => {
      expect(() => PoolSource.netfs({ host: 'nas' } as any)).toThrow(/PoolSource.netfs: 'exportPath' must be the exported directory/);
    });

    test('throws when an NFS export path is relative', () => {
      expect(() => PoolSource.nfs({ host: 'nas', exportPath: 'export/vms' })).toThrow(/'exportPath' must be an absolute path/);
    });

    test('throws when the protocol is unknown', () => {
      expect(() => PoolSource.netfs({ host: 'nas', exportPath: '/x', format: 'smb' as any })).toThrow(/PoolSource.netfs: 'format' must be one of "nfs", "cifs", "glusterfs", got "smb"/);
    });

    test('accepts tokens without checking them', () => {
      expect(() => PoolSource.nfs({ host: Token.asString({ Ref: 'h' }), exportPath: Token.asString({ Ref: 'p' }) })).not.toThrow();
    });
  });

  describe('logical', () => {
    test('throws when the volume group name is invalid', () => {
      expect(() => PoolSource.logical({ volumeGroup: '-vg' })).toThrow(/PoolSource.logical: 'volumeGroup' must be an LVM volume group name/);
    });

    test('throws when a physical volume path is relative', () => {
      expect(() => PoolSource.logical({ devices: ['/dev/sdb', 'sdc'] })).toThrow(/'devices\[1\]' must be an absolute path/);
    });

    test('throws when a physical volume is listed twice', () => {
      expect(() => PoolSource.logical({ devices: ['/dev/sdb', '/dev/sdb'] })).toThrow(/'devices\[1\]' must be a device not already listed, got "\/dev\/sdb"/);
    });
  });

  describe('disk', () => {
    test('throws when the device is missing', () => {
      expect(() => PoolSource.disk({} as any)).toThrow(/PoolSource.disk: 'device' must be an absolute device path/);
    });

    test('throws when the device path is relative', () => {
      expect(() => PoolSource.disk({ device: 'sdc' })).toThrow(/PoolSource.disk: 'device' must be an absolute path/);
    });

    test('throws when the partition table format is unknown', () => {
      expect(() => PoolSource.disk({ device: '/dev/sdc', format: 'mbr' as any })).toThrow(/'format' must be one of "gpt", "dos", got "mbr"/);
    });
  });

  describe('iscsi', () => {
    test('throws when the target IQN is missing', () => {
      expect(() => PoolSource.iscsi({ host: 'san' } as any)).toThrow(/PoolSource.iscsi: 'targetIqn' must be an iSCSI qualified name/);
    });

    test('throws when the target IQN is malformed', () => {
      expect(() => PoolSource.iscsi({ host: 'san', targetIqn: 'san.lab:t1' })).toThrow(/'targetIqn' must be an iSCSI qualified name .*got "san.lab:t1"/);
    });

    test('throws when the portal host is missing', () => {
      expect(() => PoolSource.iscsi({ targetIqn: 'iqn.2013-06.com.example:t' } as any)).toThrow(/'host' must be the iSCSI portal's host name or address/);
    });

    test('throws when the port is out of range', () => {
      expect(() => PoolSource.iscsi({ host: 'san', port: 70000, targetIqn: 'iqn.2013-06.com.example:t' }))
        .toThrow(/'port' must be a TCP port between 1 and 65535, got 70000/);
    });

    test('throws when the initiator IQN is malformed', () => {
      expect(() => PoolSource.iscsi({ host: 'san', targetIqn: 'iqn.2013-06.com.example:t', initiatorIqn: 'kvm01' }))
        .toThrow(/'initiatorIqn' must be an iSCSI qualified name/);
    });

    test('throws when the CHAP secret is given in plain text', () => {
      expect(() => PoolSource.iscsi({ host: 'san', targetIqn: 'iqn.2013-06.com.example:t', chap: { username: 'u', secret: 'hunter2' as any } }))
        .toThrow(/'chap.secret' must be a StorageSecret .* Keys and passwords are never accepted in plain text/);
    });
  });

  describe('rbd', () => {
    test('throws when no monitors are given', () => {
      expect(() => PoolSource.rbd({ monitors: [], cephPool: 'rbd', auth: { username: 'u', secret } }))
        .toThrow(/PoolSource.rbd: 'monitors' must be a non-empty list of Ceph monitors/);
    });

    test('throws when a monitor is malformed', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1:abc'], cephPool: 'rbd', auth: { username: 'u', secret } }))
        .toThrow(/'monitors\[0\]' must be a Ceph monitor as "host" or "host:port", got "mon1:abc"/);
    });

    test('throws when a monitor port is out of range', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1:0'], cephPool: 'rbd', auth: { username: 'u', secret } }))
        .toThrow(/'monitors\[0\]' must be a TCP port between 1 and 65535, got 0/);
    });

    test('throws when the Ceph pool is missing', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1'], auth: { username: 'u', secret } } as any))
        .toThrow(/'cephPool' must be the name of a Ceph pool/);
    });

    test('throws when the Ceph pool name is invalid', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1'], cephPool: 'my pool', auth: { username: 'u', secret } }))
        .toThrow(/'cephPool' must be a Ceph pool name .*got "my pool"/);
    });

    test('throws when no auth is given', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd' } as any))
        .toThrow(/'auth' must be cephx credentials \(\{ username, secret \}\), got undefined. Define a libvirt secret/);
    });

    test('throws when the key is given in plain text', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'u', secret: 'AQBkey==' as any } }))
        .toThrow(/'auth.secret' must be a StorageSecret/);
    });

    test('throws when the user name has spaces', () => {
      expect(() => PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'client libvirt', secret } }))
        .toThrow(/'auth.username' must be a user name without spaces/);
    });
  });

  describe('zfs', () => {
    test('throws when the zpool name is invalid', () => {
      expect(() => PoolSource.zfs({ zpool: '1tank' })).toThrow(/PoolSource.zfs: 'zpool' must be a zpool name/);
    });

    test('throws when a device path is relative', () => {
      expect(() => PoolSource.zfs({ devices: ['sdd'] })).toThrow(/PoolSource.zfs: 'devices\[0\]' must be an absolute path/);
    });
  });
});

describe('StorageSecret', () => {
  test('refers to a secret by usage', () => {
    expect(StorageSecret.fromUsage('ceph').usage).toBe('ceph');
  });

  test('refers to a secret by UUID', () => {
    const s = StorageSecret.fromUuid('2ec115d7-3a88-3ceb-bc12-0ac909a6fd87');
    expect([s.uuid, s.usage]).toEqual(['2ec115d7-3a88-3ceb-bc12-0ac909a6fd87', undefined]);
  });

  test('throws when the UUID is malformed', () => {
    expect(() => StorageSecret.fromUuid('1234')).toThrow(/StorageSecret.fromUuid: 'uuid' must be a UUID .*got "1234"/);
  });

  test('throws when the usage is empty', () => {
    expect(() => StorageSecret.fromUsage(' ')).toThrow(/StorageSecret.fromUsage: 'usage' must be the non-empty usage name/);
  });
});
