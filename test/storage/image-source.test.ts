import { Token } from 'cdktf';
import { ImageSource } from '../../src/storage';

describe('ImageSource', () => {
  test.each([
    'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img',
    'http://mirror.lab/debian.qcow2',
    'file:///srv/images/debian.qcow2',
    '/srv/images/debian.qcow2',
  ])('accepts %s as a URL', (url) => {
    expect(ImageSource.url(url).contentUrl).toBe(url);
  });

  test.each([
    'ftp://mirror.lab/debian.qcow2',
    'images/debian.qcow2',
    'https://',
    'file://relative/path.img',
  ])('throws when the URL is %s', (url) => {
    expect(() => ImageSource.url(url)).toThrow(/ImageSource.url: 'url' must be an http:\/\/, https:\/\/ or file:\/\/ URL, or an absolute path/);
  });

  test('accepts an absolute local file', () => {
    expect(ImageSource.file('/srv/images/seed.iso').contentUrl).toBe('/srv/images/seed.iso');
  });

  test('throws when a local file path is relative', () => {
    expect(() => ImageSource.file('./seed.iso'))
      .toThrow(/ImageSource.file: 'path' must be an absolute path on the machine running Terraform .*got ".\/seed.iso". Relative paths/);
  });

  test('throws when a local file is given as an http URL', () => {
    expect(() => ImageSource.file('https://x.lab/a.img')).toThrow(/'path' must be an absolute path/);
  });

  test('passes tokens through unchecked', () => {
    const token = Token.asString({ Ref: 'cloudinit.path' });
    expect(ImageSource.url(token).contentUrl).toBe(token);
    expect(ImageSource.file(token).contentUrl).toBe(token);
  });

  test('recognizes ISO images by their extension, ignoring a query string', () => {
    expect(ImageSource.url('https://x.lab/seed.ISO?sig=1').looksLikeIso).toBe(true);
    expect(ImageSource.url('https://x.lab/disk.img').looksLikeIso).toBe(false);
  });
});
