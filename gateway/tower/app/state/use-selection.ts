import { useEffect, useState } from 'preact/hooks';

const PREFIX = '#promotion=';

function fromHash(): string | undefined {
  return location.hash.startsWith(PREFIX)
    ? decodeURIComponent(location.hash.slice(PREFIX.length)) || undefined
    : undefined;
}

/** The selected promotion, kept in the address (`#promotion=<id>`) so it can be shared. */
export function useSelection(): [string | undefined, (id: string) => void] {
  const [selected, setSelected] = useState(fromHash);
  useEffect(() => {
    const follow = () => setSelected(fromHash());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return [
    selected,
    (id) => {
      location.hash = `${PREFIX}${encodeURIComponent(id)}`;
    },
  ];
}
