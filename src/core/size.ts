import { ValidationError } from './validation-error';

/**
 * Units a `Size` can be expressed in. Binary units (KiB = 1024 bytes) are what libvirt
 * uses by default; decimal units (KB = 1000 bytes) are there because libvirt accepts them too.
 */
export enum SizeUnit {
  /** bytes */
  BYTES = 'bytes',
  /** 1000 bytes */
  KB = 'KB',
  /** 1024 bytes */
  KIB = 'KiB',
  /** 1000^2 bytes */
  MB = 'MB',
  /** 1024^2 bytes */
  MIB = 'MiB',
  /** 1000^3 bytes */
  GB = 'GB',
  /** 1024^3 bytes */
  GIB = 'GiB',
  /** 1000^4 bytes */
  TB = 'TB',
  /** 1024^4 bytes */
  TIB = 'TiB',
}

const UNIT_BYTES: Record<SizeUnit, number> = {
  [SizeUnit.BYTES]: 1,
  [SizeUnit.KB]: 1000,
  [SizeUnit.KIB]: 1024,
  [SizeUnit.MB]: 1000 ** 2,
  [SizeUnit.MIB]: 1024 ** 2,
  [SizeUnit.GB]: 1000 ** 3,
  [SizeUnit.GIB]: 1024 ** 3,
  [SizeUnit.TB]: 1000 ** 4,
  [SizeUnit.TIB]: 1024 ** 4,
};

/** Spellings accepted by `Size.parse`, case-sensitive where it matters (b vs B is not ambiguous here). */
const UNIT_ALIASES: Record<string, SizeUnit> = {
  'b': SizeUnit.BYTES,
  'B': SizeUnit.BYTES,
  'bytes': SizeUnit.BYTES,
  '': SizeUnit.BYTES,
  'KB': SizeUnit.KB,
  'kB': SizeUnit.KB,
  'MB': SizeUnit.MB,
  'GB': SizeUnit.GB,
  'TB': SizeUnit.TB,
  'K': SizeUnit.KIB,
  'k': SizeUnit.KIB,
  'KiB': SizeUnit.KIB,
  'M': SizeUnit.MIB,
  'MiB': SizeUnit.MIB,
  'G': SizeUnit.GIB,
  'GiB': SizeUnit.GIB,
  'T': SizeUnit.TIB,
  'TiB': SizeUnit.TIB,
};

/** Binary units from largest to smallest: the order `toLargestExactUnit` tries them in. */
const BINARY_UNITS = [SizeUnit.TIB, SizeUnit.GIB, SizeUnit.MIB, SizeUnit.KIB, SizeUnit.BYTES];

/**
 * An amount of a size expressed in a unit, as the provider's `value` + `value_unit` attribute pairs want it.
 */
export interface SizeInUnit {
  /** A whole number of `unit`s. */
  readonly amount: number;
  /** The unit. */
  readonly unit: SizeUnit;
}

/**
 * A quantity of memory or storage: a whole, non-negative number of bytes.
 *
 * Create sizes with the unit factories (`Size.gibibytes(4)`) or `Size.parse('4GiB')`; convert them
 * with `toKibibytes()` and friends, which are exact or throw, never silently round.
 *
 * @example
 * const memory = Size.gibibytes(4);
 * memory.toKibibytes(); // 4194304
 */
export class Size {
  /** A size of `amount` bytes. */
  public static bytes(amount: number): Size {
    return Size.of(amount, SizeUnit.BYTES);
  }

  /** A size of `amount` KiB (1024 bytes). */
  public static kibibytes(amount: number): Size {
    return Size.of(amount, SizeUnit.KIB);
  }

  /** A size of `amount` MiB. */
  public static mebibytes(amount: number): Size {
    return Size.of(amount, SizeUnit.MIB);
  }

  /** A size of `amount` GiB. */
  public static gibibytes(amount: number): Size {
    return Size.of(amount, SizeUnit.GIB);
  }

  /** A size of `amount` TiB. */
  public static tebibytes(amount: number): Size {
    return Size.of(amount, SizeUnit.TIB);
  }

  /**
   * A size of a whole number of any unit.
   *
   * @param amount a whole, non-negative number
   * @param unit the unit `amount` is in
   */
  public static of(amount: number, unit: SizeUnit): Size {
    const factory = `Size.of(${unit})`;
    if (!Object.values(SizeUnit).includes(unit)) {
      throw new ValidationError('Size.of', 'unit', unit, `one of ${Object.values(SizeUnit).join(', ')}`);
    }
    if (typeof amount !== 'number' || !Number.isFinite(amount) || !Number.isInteger(amount) || amount < 0) {
      throw new ValidationError(factory, 'amount', amount, `a whole number of ${unit} that is 0 or more`,
        Number.isFinite(amount) && amount > 0 ? 'Express fractions in a smaller unit, e.g. Size.mebibytes(1536) for 1.5 GiB.' : undefined);
    }
    const bytes = amount * UNIT_BYTES[unit];
    if (!Number.isSafeInteger(bytes)) {
      throw new ValidationError(factory, 'amount', amount, `at most ${Math.floor(Number.MAX_SAFE_INTEGER / UNIT_BYTES[unit])} ${unit}`);
    }
    return new Size(bytes);
  }

  /**
   * Parses a size such as `512MiB`, `4 GiB`, `20G` or `1048576`.
   *
   * Units: B, KiB/K, MiB/M, GiB/G, TiB/T (binary) and KB, MB, GB, TB (decimal); no unit means bytes.
   */
  public static parse(text: string): Size {
    const m = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(String(text));
    if (!m) {
      throw new ValidationError('Size.parse', 'text', text, 'a whole number followed by a unit, e.g. "512MiB" or "20G"');
    }
    const unit = UNIT_ALIASES[m[2]];
    if (unit === undefined) {
      throw new ValidationError('Size.parse', 'unit', m[2], 'one of B, KiB, MiB, GiB, TiB, K, M, G, T, KB, MB, GB, TB');
    }
    return Size.of(Number(m[1]), unit);
  }

  private constructor(private readonly byteCount: number) {}

  /** The size in bytes. */
  public toBytes(): number {
    return this.byteCount;
  }

  /** The size in KiB; throws unless it is a whole number of KiB. */
  public toKibibytes(): number {
    return this.toUnit(SizeUnit.KIB);
  }

  /** The size in MiB; throws unless it is a whole number of MiB. */
  public toMebibytes(): number {
    return this.toUnit(SizeUnit.MIB);
  }

  /** The size in GiB; throws unless it is a whole number of GiB. */
  public toGibibytes(): number {
    return this.toUnit(SizeUnit.GIB);
  }

  /**
   * The size as a whole number of `unit`s; throws when that would need rounding.
   */
  public toUnit(unit: SizeUnit): number {
    const per = UNIT_BYTES[unit];
    if (this.byteCount % per !== 0) {
      throw new ValidationError(`Size(${this})`, 'unit', unit,
        `a unit that divides ${this.byteCount} bytes exactly`, 'Use toBytes() or a smaller unit.');
    }
    return this.byteCount / per;
  }

  /** True when the size is a whole number of `unit`s. */
  public isWholeNumberOf(unit: SizeUnit): boolean {
    return this.byteCount % UNIT_BYTES[unit] === 0;
  }

  /**
   * The largest binary unit the size is a whole number of, e.g. 4 GiB rather than 4194304 KiB.
   * This keeps synthesized attributes readable and exact.
   */
  public toLargestExactUnit(): SizeInUnit {
    for (const unit of BINARY_UNITS) {
      if (this.byteCount !== 0 && this.byteCount % UNIT_BYTES[unit] === 0) {
        return { amount: this.byteCount / UNIT_BYTES[unit], unit };
      }
    }
    return { amount: this.byteCount, unit: SizeUnit.BYTES };
  }

  /** This size plus another. */
  public plus(other: Size): Size {
    return Size.bytes(this.byteCount + other.byteCount);
  }

  /** This size times a whole factor. */
  public times(factor: number): Size {
    return Size.bytes(this.byteCount * factor);
  }

  /** -1, 0 or 1 as this size is smaller than, equal to or larger than `other`. */
  public compareTo(other: Size): number {
    return Math.sign(this.byteCount - other.byteCount);
  }

  /** True when both sizes hold the same number of bytes. */
  public isEqual(other: Size): boolean {
    return this.byteCount === other.byteCount;
  }

  /** Human-readable, exact: `4GiB`, `1536MiB`, `0B`. */
  public toString(): string {
    const { amount, unit } = this.toLargestExactUnit();
    return `${amount}${unit === SizeUnit.BYTES ? 'B' : unit}`;
  }
}
