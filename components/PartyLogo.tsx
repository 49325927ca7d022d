/** A party's logo at a display size, with a text alternative; nothing when there is no logo. */
import type { PartyView } from "../lib/election/types.ts";

/** Props: the party, the display size in CSS pixels (64 or 128), and an optional alt text. */
export interface PartyLogoProps {
  party: PartyView;
  size: 64 | 128;
  alt?: string;
}

/** Renders the logo with a 2× source for sharp screens. */
export function PartyLogo({ party, size, alt }: PartyLogoProps) {
  if (!party.logo) return null;
  const hiRes = size === 64 ? party.logo[128] : party.logo[256];
  return (
    <img
      class="party-logo"
      src={party.logo[size]}
      srcset={`${party.logo[size]} 1x, ${hiRes} 2x`}
      width={size}
      height={size}
      alt={alt ?? `${party.name} symbol`}
    />
  );
}
