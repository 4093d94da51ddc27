import { Link as FluentLink } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { linkProps } from '../app/router';

/** Fluent's link that navigates within the portal (a real href: open in a new tab and copy address work). */
export function AppLink({ to, children, className, appearance }: { to: string; children: ReactNode; className?: string; appearance?: 'subtle' }) {
  return (
    <FluentLink className={className} appearance={appearance} {...linkProps(to)}>
      {children}
    </FluentLink>
  );
}
