import { AddressClass, classifyAddress, isAllowedHost, isPublicAddress } from './address';

describe('classifyAddress', () => {
  const table: [string, AddressClass][] = [
    // public
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['[2606:4700::1111]', 'public'],
    ['2a00:1450:4001:81c::200e', 'public'],
    ['64:ff9b::808:808', 'public'], // NAT64 of 8.8.8.8
    ['::ffff:8.8.8.8', 'public'],
    // loopback, every spelling
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'], // deprecated IPv4-compatible form
    // private
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:10.0.0.1', 'private'], // IPv4-translated form
    ['64:ff9b::192.168.0.1', 'private'],
    ['167772161', 'private'], // 10.0.0.1 as one number
    // link-local and unique-local
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fd00::1', 'unique_local'],
    ['fc00::abcd', 'unique_local'],
    // metadata
    ['169.254.169.254', 'metadata'],
    ['0xa9fea9fe', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    // multicast
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    // unspecified
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['0', 'unspecified'],
    ['::', 'unspecified'],
    ['[::]', 'unspecified'],
    // reserved
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:0808:0808::1', 'reserved'], // 6to4, even of a public address
    ['2002:0a00:0001::1', 'reserved'], // 6to4 of 10.0.0.1
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64 prefix
    ['100::1', 'reserved'], // discard prefix
    ['fec0::1', 'reserved'], // deprecated site-local
    ['::ffff:0:8.8.8.8', 'reserved'], // IPv4-translated is not routable even to a public address
    ['4000::1', 'reserved'], // unallocated, outside 2000::/3
    // invalid
    ['not-an-ip', 'invalid'],
    ['example.com', 'invalid'],
    ['', 'invalid'],
    ['256.0.0.1', 'invalid'],
    ['1.2.3.4.5', 'invalid'],
    ['08.0.0.1', 'invalid'],
    [' 8.8.8.8', 'invalid'],
    ['[8.8.8.8]', 'invalid'],
    ['[::1', 'invalid'],
    ['::1::2', 'invalid'],
    ['4294967296', 'invalid'],
  ];

  it.each(table)('%j is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('isPublicAddress agrees with the classifier', () => {
    for (const [address, expected] of table) {
      expect(isPublicAddress(address)).toBe(expected === 'public');
    }
  });
});

describe('isAllowedHost', () => {
  const allow = ['127.0.0.1', 'mirror.example.org', '::1', '2001:db8::1'];

  it.each([
    ['127.0.0.1', true],
    ['2130706433', true], // same address as the allowed entry, other spelling
    ['[::ffff:127.0.0.1]', true], // reaches 127.0.0.1
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['[2001:DB8:0:0::1]', true],
    ['mirror.example.org', true],
    ['MIRROR.Example.org', true],
    ['mirror.example.org.', true],
    ['127.0.0.2', false],
    ['localhost', false], // names and addresses never stand in for one another
    ['evil-mirror.example.org', false],
    ['example.org', false],
    ['mirror.example.org.evil.test', false],
    ['[2001:db8::2]', false],
    ['', false],
  ])('%j → %s', (host, expected) => {
    expect(isAllowedHost(host, allow)).toBe(expected);
  });

  it('allows nothing with an empty list', () => {
    expect(isAllowedHost('127.0.0.1', [])).toBe(false);
  });

  it('accepts bracketed and upper-case entries in the list itself', () => {
    expect(isAllowedHost('::1', ['[::1]'])).toBe(true);
    expect(isAllowedHost('mirror.example.org', ['Mirror.Example.ORG'])).toBe(true);
  });

  it('does not treat an address-like name in the list as a name match', () => {
    expect(isAllowedHost('localhost', ['127.0.0.1'])).toBe(false);
  });
});
