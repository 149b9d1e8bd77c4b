import { Token } from 'cdktf';
import { isAbsolutePath } from './private';
import { ValidationError } from '../core/validation-error';

const URL_RE = /^(https?):\/\/[^\s/?#]+[^\s]*$/i;
const FILE_URL_RE = /^file:\/\/(\/[^\s]*)$/i;

/**
 * Content to upload into a volume (`create.content.url`): an HTTP(S) URL, or a file on the
 * machine that runs Terraform. The provider streams it to the host through libvirt, so it works
 * with remote hosts too.
 *
 * @example
 * ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img');
 * ImageSource.file('/srv/images/debian-12.qcow2');
 */
export class ImageSource {
  /**
   * Content from an `http://`, `https://` or `file://` URL, or an absolute local path.
   * A token (e.g. a `libvirt_cloudinit_disk`'s `path`) is passed through unchecked.
   */
  public static url(url: string): ImageSource {
    if (!Token.isUnresolved(url)) {
      const ok = typeof url === 'string' && (URL_RE.test(url) || FILE_URL_RE.test(url) || isAbsolutePath(url));
      if (!ok) {
        throw new ValidationError('ImageSource.url', 'url', url,
          'an http://, https:// or file:// URL, or an absolute path on the machine running Terraform');
      }
    }
    return new ImageSource(url);
  }

  /**
   * Content from a file on the machine that runs Terraform (not on the libvirt host): an
   * absolute path or a `file://` URL. A token is passed through unchecked.
   */
  public static file(path: string): ImageSource {
    if (!Token.isUnresolved(path)) {
      const ok = typeof path === 'string' && (isAbsolutePath(path) || FILE_URL_RE.test(path));
      if (!ok) {
        throw new ValidationError('ImageSource.file', 'path', path,
          'an absolute path on the machine running Terraform (or a file:// URL)',
          'Relative paths would depend on the directory Terraform runs in; use path.resolve().');
      }
    }
    return new ImageSource(path);
  }

  private constructor(
    /** The URL or path, as rendered into `create.content.url`. */
    public readonly contentUrl: string,
  ) {}

  /**
   * True when the content looks like an ISO 9660 image (its name ends in `.iso`).
   */
  public get looksLikeIso(): boolean {
    return !Token.isUnresolved(this.contentUrl) && /\.iso$/i.test(this.contentUrl.replace(/[?#].*$/, ''));
  }

  /** The URL or path. */
  public toString(): string {
    return this.contentUrl;
  }
}
