import { FluentProvider, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { useState } from 'react';
import { useServices } from '../services';
import { Header } from './Header';
import { SignIn } from './SignIn';
import { Workspace } from './Workspace';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

/** The task pane: sign-in until a session exists, then the email → script → video → insert flow. */
export function App() {
  const styles = useStyles();
  const { api } = useServices();
  const [signedIn, setSignedIn] = useState(api.session.signedIn);
  const signOut = async () => {
    await api.logout();
    setSignedIn(false);
  };
  return (
    <FluentProvider theme={webLightTheme} className={styles.root}>
      <Header signedIn={signedIn} onSignOut={signOut} />
      {signedIn ? <Workspace onSessionEnded={() => setSignedIn(false)} /> : <SignIn onSignedIn={() => setSignedIn(true)} />}
    </FluentProvider>
  );
}
